/**
 * zod's issues as the problems a person reads: the JSON path, and for an unknown key the key they
 * probably meant or the keys that are allowed there.
 */

import type { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { didYouMean } from '../util/suggest.js';
import { optionFields } from './options.js';
import { formatPath } from './path.js';
import { configObjectSchema, siteObject } from './schema.js';
import { heartbeat, summary } from './watch-sections.js';

const KEYS = {
  root: Object.keys(configObjectSchema.shape),
  options: Object.keys(optionFields),
  site: Object.keys(siteObject.shape),
  heartbeat: Object.keys(heartbeat.in.shape),
  summary: Object.keys(summary.in.shape),
};

function allowedKeys(path: readonly PropertyKey[]): string[] {
  // The strict objects: the root, `defaults`, a site (whose path ends in its index), heartbeat and summary.
  // Channels report their own unknown keys (channels/section.ts).
  if (path.length === 0) return KEYS.root;
  if (path.length === 1 && (path[0] === 'heartbeat' || path[0] === 'summary')) return KEYS[path[0]];
  return path.at(-1) === 'defaults' ? KEYS.options : KEYS.site;
}

function unknownKey(path: readonly PropertyKey[], key: string): ConfigProblem {
  const allowed = allowedKeys(path);
  const guess = didYouMean(key, allowed);
  const advice = guess === undefined ? `allowed keys are ${allowed.join(', ')}` : `did you mean "${guess}"?`;
  return { path: formatPath([...path, key]), message: `unknown key "${key}"; ${advice}` };
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
