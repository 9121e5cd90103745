/**
 * zod's issues as the problems a person reads: the JSON path, and for an unknown key the key they
 * probably meant or the keys that are allowed there.
 */

import type { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { didYouMean } from '../util/suggest.js';
import { windowKeys } from './maintenance.js';
import { connectivity } from './offline-sections.js';
import { optionFields } from './options.js';
import { formatPath } from './path.js';
import { belongsElsewhere, type Place } from './placement.js';
import { CONFIG_KEYS, siteObject } from './schema.js';
import { server, statusPage } from './status-sections.js';
import { heartbeat, summary } from './watch-sections.js';

/** The keys each place allows, read from its schema when a key there is unknown. */
const KEYS: Record<Place, () => string[]> = {
  root: () => CONFIG_KEYS,
  defaults: () => Object.keys(optionFields()),
  site: () => Object.keys(siteObject().shape),
  heartbeat: () => Object.keys(heartbeat().in.shape),
  summary: () => Object.keys(summary().in.shape),
  connectivity: () => Object.keys(connectivity().in.shape),
  offline: () => ['ratio', 'minSites'],
  server: () => Object.keys(server().in.shape),
  statusPage: () => Object.keys(statusPage().in.shape),
  maintenance: windowKeys,
};

const SECTIONS = new Set<PropertyKey>([
  'heartbeat',
  'summary',
  'connectivity',
  'offline',
  'server',
  'statusPage',
]);

/** The strict object a path leads to; channels report their own unknown keys (channels/section.ts). */
function placeOf(path: readonly PropertyKey[]): Place {
  if (path.length === 0) return 'root';
  const [first] = path;
  if (path.length === 1 && first !== undefined && SECTIONS.has(first)) return first as Place;
  if (path.length === 2 && first === 'maintenance') return 'maintenance';
  // `defaults`, or a site, whose path ends in its index.
  return path.at(-1) === 'defaults' ? 'defaults' : 'site';
}

/**
 * A key that differs only in case from an allowed one is a typo; one that is right elsewhere is
 * misplaced (checked before a looser "did you mean", which would take `type` on a site for `name`).
 */
function unknownKey(path: readonly PropertyKey[], key: string): ConfigProblem {
  const here = placeOf(path);
  const allowed = KEYS[here]();
  const sameLetters = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
  const misplaced = sameLetters === undefined ? belongsElsewhere(key, here) : undefined;
  const where = formatPath([...path, key]);
  if (misplaced !== undefined) return { path: where, message: `misplaced key: ${misplaced}` };
  const guess = sameLetters ?? didYouMean(key, allowed);
  const advice = guess === undefined ? `allowed keys are ${allowed.join(', ')}` : `did you mean "${guess}"?`;
  return { path: where, message: `unknown key "${key}"; ${advice}` };
}

/**
 * The union of a URL string and a site object tells nothing useful ("invalid input") when a site object
 * has a wrong field; the branch that was not merely the wrong type is the one the user meant.
 */
function meantBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  const plausible = branches.filter(
    (b) => !(b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0),
  );
  return plausible.length === 1 ? plausible[0] : undefined;
}

export function toProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(path, key));
    if (issue.code === 'invalid_union') {
      const branch = meantBranch(issue.errors);
      if (branch !== undefined) return toProblems(branch, path);
    }
    if (issue.code === 'invalid_key') {
      return [{ path: formatPath(path), message: issue.issues[0]?.message ?? issue.message }];
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}
