/**
 * Validation of the config object: the schema's problems, and the references between sections the
 * schema cannot see (a `notify` list naming a channel that is not defined), all reported together.
 */

import type { ConfigProblem } from '../core/errors.js';
import { didYouMean } from '../util/suggest.js';
import { expectProblems } from './expect-problems.js';
import { locationProblems } from './location-sections.js';
import { unknownWindowSites } from './maintenance.js';
import { bodyMethodProblems } from './options.js';
import { formatPath } from './path.js';
import { toProblems } from './problems.js';
import { configObjectSchema, type ParsedConfig } from './schema.js';
import { unknownPublicSites } from './status-sections.js';

/** The config object (the list form already wrapped as `{ sites }`), or every problem found in it. */
export function validateConfig(
  raw: unknown,
): { ok: true; config: ParsedConfig } | { ok: false; problems: ConfigProblem[] } {
  const result = configObjectSchema(raw).safeParse(raw);
  // Checked on the raw input, so that a misspelt channel is reported together with every other problem.
  const references = [
    ...unknownChannels(raw),
    ...unknownPublicSites(raw),
    ...unknownWindowSites(raw),
    ...bodyMethodProblems(raw),
    ...expectProblems(raw),
    ...locationProblems(raw),
  ];
  if (result.success && references.length === 0) return { ok: true, config: result.data };
  return { ok: false, problems: [...(result.success ? [] : toProblems(result.error.issues)), ...references] };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every name in a `notify` list or `summary.channels` that is not a key of `channels`. */
function unknownChannels(raw: unknown): ConfigProblem[] {
  if (!isObject(raw)) return [];
  const names = isObject(raw.channels) ? Object.keys(raw.channels) : [];
  const lists: [PropertyKey[], unknown][] = [
    [['defaults', 'notify'], isObject(raw.defaults) ? raw.defaults.notify : undefined],
    [['summary', 'channels'], isObject(raw.summary) ? raw.summary.channels : undefined],
    ...(Array.isArray(raw.sites) ? raw.sites : []).map((site, i): [PropertyKey[], unknown] => [
      ['sites', i, 'notify'],
      isObject(site) ? site.notify : undefined,
    ]),
  ];
  return lists.flatMap(([path, list]) =>
    (Array.isArray(list) ? list : []).flatMap((name, j): ConfigProblem[] => {
      if (typeof name !== 'string' || names.includes(name)) return [];
      const guess = didYouMean(name, names);
      const advice =
        names.length === 0
          ? 'this config defines no "channels"'
          : guess === undefined
            ? `the channels are ${names.join(', ')}`
            : `did you mean "${guess}"?`;
      return [{ path: formatPath([...path, j]), message: `unknown channel "${name}"; ${advice}` }];
    }),
  );
}
