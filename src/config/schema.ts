/**
 * The one description of sites.json: validation, the resolved option types and the JSON Schema for editors
 * all come from these zod schemas. Messages say what was found and what is allowed, because they are the
 * only documentation most people read. The parts live beside this file: options.ts (per-site options),
 * watch-sections.ts (heartbeat, summary), channels/ (each channel type's settings).
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { channelName, channelSection, channelTypesInWords } from '../channels/section.js';
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

export const siteObject = z
  .strictObject({
    url,
    name: z
      .string({ error: expected('a non-empty string') })
      .refine((text) => text.trim() !== '', { error: expected('a non-empty string') })
      .optional()
      .describe('Display name in reports; the URL when absent.'),
    ...options.shape,
    // Last: not a check option, and the "allowed keys" list reads better with the options first.
    group: siteGroup.optional(),
    locations: siteLocations.optional(),
  })
  .meta({ id: 'Site', title: 'Site', description: 'A site with options of its own.' });

const siteList = z
  .array(z.union([url, siteObject], { error: expected('a URL string or an object with "url"') }), {
    error: expected('a list of sites, like ["https://example.com/"]'),
  })
  .min(1, { error: 'the site list is empty: add at least one URL to check' })
  .describe('The sites to check: URL strings, or objects with "url" and options.');

export const configObjectSchema = z.strictObject({
  $schema: z
    .string({ error: expected('a string') })
    .optional()
    .describe('Path or URL of this JSON Schema, for editor completion.'),
  defaults: options
    .optional()
    .describe("Options for every site; a site's own options override them.")
    .meta({ title: 'Defaults' }),
  sites: siteList,
  channels: z
    .record(channelName, channelSection, { error: expected('an object of named channels') })
    .optional()
    .describe(`Notification channels by name: ${channelTypesInWords()}, each with its settings.`),
  heartbeat: heartbeat.optional(),
  summary: summary.optional(),
  connectivity: connectivity.optional(),
  offline: offline.optional(),
  server: server.optional(),
  statusPage: statusPage.optional(),
  maintenance: maintenance.optional(),
  timezone: timeZone
    .optional()
    .describe(
      "watch: the time zone of --schedule, the maintenance windows and the summary (unless they name their own); the system's by default. --tz overrides it.",
    ),
  locations: locations.optional(),
  quorum: quorum.optional(),
});

/** What sites.json may hold: a plain list of sites, or the object form with defaults and channels. */
export const configFileSchema = z.union([siteList, configObjectSchema]).meta({
  title: 'uptime-squirrel sites',
  description:
    'Sites for uptime-squirrel to check: a list of URLs, or an object with "sites", "defaults" and "channels".',
});

export type ParsedConfig = z.output<typeof configObjectSchema>;
export type ParsedSite = ParsedConfig['sites'][number];
