/**
 * Problems of `expect` that only show once `defaults` applies to a site (the schema sees one object at a
 * time): a body assertion with an explicit HEAD, a maxResponseMs the timeout would cut short, and the
 * statuses given twice. Read from the raw config, so that they are reported with every other problem.
 */

import type { ConfigProblem } from '../core/errors.js';
import { parseDuration } from '../util/duration.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BODY_KEYS = ['bodyContains', 'bodyNotContains', 'bodyMatches', 'json'] as const;
const DEFAULT_TIMEOUT_MS = 10_000;

function ms(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return typeof value === 'string' ? parseDuration(value) : null;
}

/** Where a key of the merged expect came from: the site's own `expect`, else `defaults.expect`. */
function origin(i: number, own: Record<string, unknown>, key: string): string {
  return isObject(own.expect) && key in own.expect ? `sites[${i}].expect.${key}` : 'defaults.expect';
}

function siteProblems(
  i: number,
  own: Record<string, unknown>,
  defaults: Record<string, unknown>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const expect = {
    ...(isObject(defaults.expect) ? defaults.expect : {}),
    ...(isObject(own.expect) ? own.expect : {}),
  };
  const method = own.method ?? defaults.method;
  const bodyKey = BODY_KEYS.find((k) => expect[k] !== undefined);
  if (method === 'HEAD' && bodyKey !== undefined) {
    const methodAt = own.method === undefined ? 'defaults.method' : `sites[${i}].method`;
    problems.push({
      path: own.method === undefined ? origin(i, own, bodyKey) : `sites[${i}].method`,
      message: `expect.${bodyKey} reads the body, and a HEAD response has none (method "HEAD" from ${methodAt}): remove "method" (a body assertion makes the check a GET) or set it to "GET"`,
    });
  }
  const max = ms(expect.maxResponseMs);
  const timeout = ms(own.timeoutMs ?? defaults.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
  if (max !== null && max > timeout) {
    problems.push({
      path: origin(i, own, 'maxResponseMs'),
      message: `maxResponseMs ${max} ms is longer than the site's timeoutMs ${timeout} ms: a response that slow times out before it can be degraded; make maxResponseMs smaller or timeoutMs larger`,
    });
  }
  for (const layer of [own, defaults]) {
    if (layer.expectStatus !== undefined && isObject(layer.expect) && layer.expect.status !== undefined) {
      problems.push({
        path: layer === own ? `sites[${i}].expect.status` : 'defaults.expect.status',
        message: 'the statuses are given twice, in expectStatus and in expect.status: keep one',
      });
    }
  }
  return problems;
}

export function expectProblems(raw: unknown): ConfigProblem[] {
  if (!isObject(raw) || !Array.isArray(raw.sites)) return [];
  const defaults = isObject(raw.defaults) ? raw.defaults : {};
  const problems = raw.sites.flatMap((site, i) => siteProblems(i, isObject(site) ? site : {}, defaults));
  // A problem of `defaults` shows once, not once per site.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
