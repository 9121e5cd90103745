/**
 * The status server's sections of sites.json: `server` (where `watch` serves the page, status.json,
 * metrics and health, and the token of the machine-readable routes) and `statusPage` (its title,
 * description, refresh, and which sites are public). serve/ uses them; this file only reads the config.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { parseListen } from '../util/listen.js';
import { once } from '../util/once.js';
import { siteIds } from '../util/site-id.js';
import { didYouMean } from '../util/suggest.js';
import { expected } from '../util/wording.js';
import { wholeNumber } from './numbers.js';
import { formatPath } from './path.js';
import type { ServerConfig, StatusPageConfig } from './types.js';

export const DEFAULT_STATUS_PAGE: Readonly<StatusPageConfig> = Object.freeze({
  title: 'Status',
  description: null,
  sites: null,
  refreshSeconds: 60,
});

const text = (what: string, max: number) =>
  z
    .string({ error: expected(what) })
    .refine((t) => t.trim() !== '', { error: expected(what) })
    .refine((t) => t.length <= max, { error: `too long: at most ${max} characters` });

/** A site's group on the status page (the key sits on a site, beside `name`). */
export const siteGroup = once(() =>
  text('a non-empty string such as "Public API"', 80).describe(
    'The heading the status page lists the site under; groups in order of first appearance, ungrouped sites first.',
  ),
);

export const server = once(() =>
  z
    .strictObject({
      listen: z
        .string({ error: expected('[HOST:]PORT such as "8080" or "0.0.0.0:8080"') })
        .superRefine((value, ctx) => {
          const at = parseListen(value);
          if (typeof at === 'string') ctx.addIssue({ code: 'custom', message: at });
        })
        .optional()
        .describe(
          'watch: serve the status page, status.json, /metrics and /healthz on [HOST:]PORT (HOST 127.0.0.1 by default); `--listen` overrides it.',
        ),
      token: text('a token string such as "${METRICS_TOKEN}"', 4096)
        .optional()
        .describe(
          'When set, /metrics and /api/status.json need "Authorization: Bearer <token>". Use ${VAR}: it is a secret.',
        ),
    })
    .transform((s): ServerConfig => ({ listen: s.listen ?? null, token: s.token ?? null }))
    .meta({ title: 'Server' })
    .describe("watch: the status server's address and the token of its machine-readable routes."),
);

export const statusPage = once(() =>
  z
    .strictObject({
      title: text('a non-empty string such as "Acme status"', 200)
        .optional()
        .describe('Title and heading ("Status" by default).'),
      description: text('a non-empty string', 1000)
        .optional()
        .describe("A line under the title, and the page's description."),
      sites: z
        .array(text('a site name, URL or id', 2048), { error: expected('a list of site names, URLs or ids') })
        .optional()
        .describe('The sites shown (by name, URL as written, or id); every site when absent.'),
      refreshSeconds: wholeNumber('a number of seconds', 10, 86_400)
        .optional()
        .describe('The page reloads itself this often (60 by default).'),
    })
    .transform(
      (p): StatusPageConfig => ({
        title: p.title ?? DEFAULT_STATUS_PAGE.title,
        description: p.description ?? null,
        sites: p.sites ?? null,
        refreshSeconds: p.refreshSeconds ?? DEFAULT_STATUS_PAGE.refreshSeconds,
      }),
    )
    .meta({ title: 'Status page' })
    .describe('The status page (watch --listen, report --html): title, description, public sites, refresh.'),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a `statusPage.sites` entry names a site: its name, its URL as written, or its id. */
export function namesSite(entry: string, site: { name: string | null; url: string }, id: string): boolean {
  return entry === site.name || entry === site.url || entry === id;
}

/** Every `statusPage.sites` entry that names no site, checked on the raw input beside the schema's problems. */
export function unknownPublicSites(raw: unknown): ConfigProblem[] {
  if (!isObject(raw) || !isObject(raw.statusPage)) return [];
  return unknownSites(raw, ['statusPage', 'sites'], raw.statusPage.sites);
}

/** Every entry of `list` (at `path`) that names no site of the raw config: by name, URL as written, or id. */
export function unknownSites(
  raw: Record<string, unknown>,
  path: PropertyKey[],
  list: unknown,
): ConfigProblem[] {
  if (!Array.isArray(list)) return [];
  const sites = (Array.isArray(raw.sites) ? raw.sites : []).flatMap((s) => {
    if (typeof s === 'string') return [{ name: null, url: s }];
    if (isObject(s) && typeof s.url === 'string')
      return [{ name: typeof s.name === 'string' ? s.name : null, url: s.url }];
    return [];
  });
  const ids = siteIds(sites);
  const known = sites.flatMap((s, i) =>
    [s.name, s.url, ids[i]].filter((v): v is string => typeof v === 'string'),
  );
  return list.flatMap((entry, i): ConfigProblem[] => {
    if (typeof entry !== 'string' || sites.some((s, j) => namesSite(entry, s, ids[j] ?? ''))) return [];
    const guess = didYouMean(entry, known);
    return [
      {
        path: formatPath([...path, i]),
        message: `"${entry}" is no site of this config: give a site's name, URL or id${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
      },
    ];
  });
}
