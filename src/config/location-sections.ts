/**
 * Multi-location queue mode in sites.json: the top-level `locations` and `quorum`, and a site's own
 * `locations` narrowing them. strategies/queue/ applies them (with --mode queue); this file only reads
 * the config, and finds the problems between sections the schema cannot see.
 */

import * as z from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { LOCATION_NAME, LOCATION_NAME_RULE, majority } from '../core/locations.js';
import { once } from '../util/once.js';
import { didYouMean } from '../util/suggest.js';
import { expected } from '../util/wording.js';
import { NUMBERS_NOTE, wholeNumber } from './numbers.js';
import { formatPath } from './path.js';

const MAX_LOCATIONS = 100;

const locationName = once(() =>
  z
    .string({ error: expected(`a location name: ${LOCATION_NAME_RULE}`) })
    .regex(LOCATION_NAME, { error: expected(`a location name: ${LOCATION_NAME_RULE}`) }),
);

const nameList = (what: string) =>
  z
    .array(locationName(), { error: expected(`a list of location names, such as ["eu-west", "us-east"]`) })
    .min(1, { error: 'the list is empty: give at least one location name' })
    .max(MAX_LOCATIONS, { error: `too many locations: at most ${MAX_LOCATIONS}` })
    .refine((names) => new Set(names).size === names.length, { error: 'a location is listed twice' })
    .describe(what);

export const locations = once(() =>
  nameList(
    'queue mode: check every site once from each of these locations, each served by `uptime-squirrel worker --location NAME` (--locations overrides).',
  ).meta({ title: 'Locations' }),
);

export const siteLocations = once(() =>
  nameList(
    'queue mode with locations: check this site from these locations only (a subset of the top-level "locations").',
  ),
);

export const quorum = once(() =>
  wholeNumber('a whole number of locations', 1, MAX_LOCATIONS).describe(
    `queue mode with locations: a site is down when at least this many locations see it down, and unchecked when fewer than this many answer (default: a majority of "locations"; --quorum overrides).${NUMBERS_NOTE}`,
  ),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const names = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;

/**
 * A quorum larger than the locations; a site's location that is not among the top-level ones; a site
 * narrowed to fewer locations than the quorum (it could never be down or up).
 */
export function locationProblems(raw: unknown): ConfigProblem[] {
  if (!isObject(raw)) return [];
  const all = names(raw.locations);
  const q = typeof raw.quorum === 'number' && Number.isInteger(raw.quorum) ? raw.quorum : null;
  const problems: ConfigProblem[] = [];
  if (q !== null && raw.locations === undefined) {
    problems.push({
      path: 'quorum',
      message: 'a quorum needs "locations": the places sites are checked from',
    });
  } else if (q !== null && all !== null && q > all.length) {
    problems.push({
      path: 'quorum',
      message: `${q} is more than the ${all.length} location(s) of "locations": no site could ever be down or up`,
    });
  }
  const needed = q ?? (all === null ? null : majority(all.length));
  for (const [i, site] of (Array.isArray(raw.sites) ? raw.sites : []).entries()) {
    const own = isObject(site) ? names(site.locations) : null;
    if (own === null) continue;
    for (const [j, name] of own.entries()) {
      if (all === null || all.includes(name)) continue;
      const guess = didYouMean(name, all);
      problems.push({
        path: formatPath(['sites', i, 'locations', j]),
        message: `"${name}" is not in the top-level "locations" (${all.join(', ')})${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
      });
    }
    if (needed !== null && own.length < needed) {
      problems.push({
        path: formatPath(['sites', i, 'locations']),
        message: `${own.length} location(s), fewer than the quorum of ${needed}: the site could never be down or up`,
      });
    }
  }
  return problems;
}
