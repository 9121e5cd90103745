/**
 * `check --fail-on degraded,cert`: warnings that make the exit code 1, as a site down does. Without it a
 * slow site or a certificate close to its expiry is shown and counted, and `check` still exits 0: they are
 * warnings, not outages.
 */

import { InvalidArgumentError, Option } from 'commander';
import type { SweepSummary } from './sweep-report.js';

export const FAIL_ON = ['degraded', 'cert'] as const;
export type FailOn = (typeof FAIL_ON)[number];

function failOnList(value: string, previous: FailOn[] | undefined): FailOn[] {
  const items = value.split(',').map((v) => v.trim());
  const bad = items.filter((v) => !(FAIL_ON as readonly string[]).includes(v));
  if (bad.length > 0 || items.length === 0) {
    throw new InvalidArgumentError(`--fail-on takes ${FAIL_ON.join(', ')} or both, comma-separated.`);
  }
  return [...new Set([...(previous ?? []), ...(items as FailOn[])])];
}

export function failOnOption(): Option {
  return new Option(
    '--fail-on <warnings>',
    'also exit 1 for these warnings: degraded (slower than expect.maxResponseMs), cert (a certificate within certExpiry.warnDays), or both comma-separated',
  ).argParser(failOnList);
}

/** Whether the sweep's warnings, by `--fail-on`, make it fail. */
export function failsOnWarnings(summary: SweepSummary, failOn: readonly FailOn[] | undefined): boolean {
  if (failOn === undefined) return false;
  return (
    (failOn.includes('degraded') && (summary.degraded ?? 0) > 0) ||
    (failOn.includes('cert') && (summary.certWarnings ?? 0) > 0)
  );
}
