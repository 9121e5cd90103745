/**
 * Where a key belongs when it is written in the wrong place: a per-site option at the top level or in
 * `heartbeat`, a channel setting on a site, a top-level section inside a site. A typo gets a "did you
 * mean"; a key that is right but misplaced gets its place.
 */

import { CHANNELS } from '../channels/index.js';
import { once } from '../util/once.js';
import { optionFields } from './options.js';
import { CONFIG_KEYS } from './schema.js';

/** The objects of sites.json whose keys are checked here (channels check their own). */
export type Place =
  | 'root'
  | 'defaults'
  | 'site'
  | 'heartbeat'
  | 'summary'
  | 'connectivity'
  | 'offline'
  | 'server'
  | 'statusPage'
  | 'maintenance';

const IN_WORDS: Record<Place, string> = {
  root: 'at the top level',
  defaults: 'in "defaults"',
  site: 'on a site',
  heartbeat: 'in "heartbeat"',
  summary: 'in "summary"',
  connectivity: 'in "connectivity"',
  offline: 'in "offline"',
  server: 'in "server"',
  statusPage: 'in "statusPage"',
  maintenance: 'in a maintenance window',
};

const SITE_KEYS = new Set(['url', 'name', 'group']);

/**
 * Each rule: the keys it knows, the places they are allowed in, and where they belong. The first rule
 * that knows the key wins, so `url` at the top level is a site's, not a channel's or the heartbeat's.
 */
const RULES = once((): readonly [ReadonlySet<string>, readonly Place[], string][] => [
  [
    new Set(Object.keys(optionFields())),
    ['defaults', 'site'],
    'is a per-site option: it belongs in "defaults" (for every site) or on a site',
  ],
  [SITE_KEYS, ['site'], 'belongs on a site, in "sites"'],
  [
    new Set(['bodyContains', 'bodyNotContains', 'bodyMatches', 'json', 'maxResponseMs']),
    [],
    'is an assertion: it belongs in "expect" (on a site or in "defaults")',
  ],
  [new Set(CONFIG_KEYS), ['root'], 'belongs at the top level of the file'],
  // Every channel type's keys: built here, on the first misplaced key, not at every start.
  [
    new Set(Object.values(CHANNELS).flatMap((channel) => [...channel.keys])),
    [],
    'belongs in a channel under "channels"',
  ],
  [new Set(['schedule', 'timeZone']), ['summary'], 'belongs in "summary"'],
  [new Set(['targets']), ['connectivity'], 'belongs in "connectivity"'],
  [new Set(['ratio', 'minSites']), ['offline'], 'belongs in "offline"'],
  [new Set(['listen', 'token']), ['server'], 'belongs in "server"'],
  [new Set(['title', 'description', 'refreshSeconds']), ['statusPage'], 'belongs in "statusPage"'],
]);

/**
 * `"smtp" belongs in a channel under "channels", not on a site` for a key that is known somewhere else
 * than where it was found; undefined for a key known nowhere.
 */
export function belongsElsewhere(key: string, here: Place): string | undefined {
  const rule = RULES().find(([keys]) => keys.has(key));
  if (rule === undefined || rule[1].includes(here)) return undefined;
  return `"${key}" ${rule[2]}, not ${IN_WORDS[here]}`;
}
