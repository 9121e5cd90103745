import type { LocationsSummary } from '../core/locations.js';
import type { Result } from '../core/result.js';

/**
 * `unchecked` only in the modes that can leave sites unchecked (queue mode past its deadline), so the
 * JSON of the other modes keeps exactly { total, up, down }.
 */
export interface SweepSummary {
  total: number;
  up: number;
  down: number;
  unchecked?: number;
  /** Up but slower than expect.maxResponseMs; only when some site has a maxResponseMs. */
  degraded?: number;
  /** https certificates within their site's certExpiry.warnDays; only when some site is https. */
  certWarnings?: number;
}

/** The outcome of one sweep, as `check --json` prints it (schema in the README). */
export interface SweepReport {
  version: string;
  mode: string;
  startedAt: string;
  finishedAt: string;
  summary: SweepSummary;
  /** Queue mode with locations only: the locations, the quorum, and those that gave no result. */
  locations?: LocationsSummary;
  results: Result[];
}

export interface BuildReportOptions {
  /** Count `ok: null` results in `summary.unchecked` (see Strategy.leavesUnchecked). */
  countUnchecked?: boolean;
  locations?: LocationsSummary;
}

export function buildReport(
  version: string,
  mode: string,
  startedAt: Date,
  finishedAt: Date,
  results: Result[],
  opts: BuildReportOptions = {},
): SweepReport {
  let up = 0;
  let down = 0;
  let degraded: number | undefined;
  let certWarnings: number | undefined;
  for (const r of results) {
    if (r.ok === true) up++;
    else if (r.ok === false) down++;
    // Counted only where they can happen, so that a config without them keeps its summary as it was.
    if (r.degraded !== undefined) degraded = (degraded ?? 0) + (r.degraded ? 1 : 0);
    if (r.tls !== undefined && r.tls !== null)
      certWarnings = (certWarnings ?? 0) + (r.certWarning != null ? 1 : 0);
  }
  // An unchecked site is never up; without the unchecked count it is reported down, never lost.
  const summary: SweepSummary = opts.countUnchecked
    ? { total: results.length, up, down, unchecked: results.length - up - down }
    : { total: results.length, up, down: results.length - up };
  if (degraded !== undefined) summary.degraded = degraded;
  if (certWarnings !== undefined) summary.certWarnings = certWarnings;
  return {
    version,
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    summary,
    ...(opts.locations === undefined ? {} : { locations: opts.locations }),
    results,
  };
}
