/**
 * The one description of sites.json: validation, the resolved option types and the JSON Schema for editors
 * all come from these zod schemas. Messages say what was found and what is allowed, because they are the
 * only documentation most people read. The parts live beside this file: options.ts (per-site options),
 * watch-sections.ts (heartbeat, summary), channels/ (each channel type's settings).
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { channelName, channelSection, channelTypesInWords } from '../channels/section.js';
import { once } from '../util/once.js';
import { checkHttpUrl } from '../util/url.js';
import { expected } from '../util/wording.js';
import { locations, quorum, siteLocations } from './location-sections.js';
import { maintenance, timeZone } from './maintenance.js';
import { connectivity, offline } from './offline-sections.js';
import { options } from './options.js';
import { server, siteGroup, statusPage } from './status-sections.js';
import { heartbeat, summary } from './watch-sections.js';

const url = z
  .string({ error: expected('a URL string such as "https://example.com/"') })
  .superRefine((text, ctx) => {
    const problem = checkHttpUrl(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('The http or https URL to check. ${VAR} is replaced from the environment.');

/** A site with options of its own; built when a config has one (a list of URL strings needs none). */
export const siteObject = once(() =>
  z
    .strictObject({
      url,
      name: z
        .string({ error: expected('a non-empty string') })
        .refine((text) => text.trim() !== '', { error: expected('a non-empty string') })
        .optional()
        .describe('Display name in reports; the URL when absent.'),
      ...options().shape,
      // Last: not a check option, and the "allowed keys" list reads better with the options first.
      group: siteGroup().optional(),
      locations: siteLocations().optional(),
    })
    .meta({ id: 'Site', title: 'Site', description: 'A site with options of its own.' }),
);

const siteListOf = <S extends z.ZodType>(site: S) =>
  z
    .array(z.union([url, site], { error: expected('a URL string or an object with "url"') }), {
      error: expected('a list of sites, like ["https://example.com/"]'),
    })
    .min(1, { error: 'the site list is empty: add at least one URL to check' })
    .describe('The sites to check: URL strings, or objects with "url" and options.');

const siteList = once(() => siteListOf(siteObject()));

/**
 * The site list of a config whose every site is a URL string that passes `url`: the union takes the first
 * branch that succeeds, so the site object is never tried and need not be built. Typed as the full list,
 * whose output it gives for such a list.
 */
const urlList = once(() => siteListOf(z.never()) as unknown as ReturnType<typeof siteList>);

/** Each top-level key's schema: a config has a few of them, and each is built when a config has it. */
const SECTIONS = {
  $schema: () =>
    z
      .string({ error: expected('a string') })
      .optional()
      .describe('Path or URL of this JSON Schema, for editor completion.'),
  defaults: () =>
    options()
      .optional()
      .describe("Options for every site; a site's own options override them.")
      .meta({ title: 'Defaults' }),
  sites: siteList,
  channels: () =>
    z
      .record(channelName, channelSection(), { error: expected('an object of named channels') })
      .optional()
      .describe(`Notification channels by name: ${channelTypesInWords()}, each with its settings.`),
  heartbeat: () => heartbeat().optional(),
  summary: () => summary().optional(),
  connectivity: () => connectivity().optional(),
  offline: () => offline().optional(),
  server: () => server().optional(),
  statusPage: () => statusPage().optional(),
  maintenance: () => maintenance().optional(),
  timezone: () =>
    timeZone
      .optional()
      .describe(
        "watch: the time zone of --schedule, the maintenance windows and the summary (unless they name their own); the system's by default. --tz overrides it.",
      ),
  locations: () => locations().optional(),
  quorum: () => quorum().optional(),
};

type Shape = { [K in keyof typeof SECTIONS]: ReturnType<(typeof SECTIONS)[K]> };

/** The keys sites.json may have at the top level. */
export const CONFIG_KEYS = Object.keys(SECTIONS);

/** Stands for a section a config does not have: `X.optional()` gives the same for an absent key. */
const absent = once(() => z.undefined().optional());

function shapeOf(has: (key: keyof typeof SECTIONS) => boolean): Shape {
  const shape = Object.fromEntries(
    Object.entries(SECTIONS).map(([key, build]) => [
      key,
      has(key as keyof typeof SECTIONS) ? build() : absent(),
    ]),
  );
  // Every key is there; a stand-in is typed as its section, whose output it gives for an absent key.
  return shape as Shape;
}

/** The whole object form, every section built: for the JSON Schema and the types. */
const configObject = once(() => z.strictObject(shapeOf(() => true)));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema that validates `raw` (the object form): the sections it does not have are stood in for, and
 * a list of valid URL strings does not build the site object. The problems and the result are those of the
 * whole schema; only what this config never reaches is left unbuilt.
 */
export function configObjectSchema(raw: unknown): ReturnType<typeof configObject> {
  if (!isObject(raw)) return configObject();
  const plainUrls =
    Array.isArray(raw.sites) &&
    raw.sites.every((site) => typeof site === 'string' && checkHttpUrl(site) === null);
  // `sites` is required: absent, its own schema says so.
  const shape = shapeOf((key) => (key === 'sites' ? !plainUrls : raw[key] !== undefined));
  return z.strictObject(plainUrls ? { ...shape, sites: urlList() } : shape);
}

/** What sites.json may hold: a plain list of sites, or the object form with defaults and channels. */
export const configFileSchema = once(() =>
  z.union([siteList(), configObject()]).meta({
    title: 'uptime-squirrel sites',
    description:
      'Sites for uptime-squirrel to check: a list of URLs, or an object with "sites", "defaults" and "channels".',
  }),
);

export type ParsedConfig = z.output<ReturnType<typeof configObject>>;
export type ParsedSite = ParsedConfig['sites'][number];
