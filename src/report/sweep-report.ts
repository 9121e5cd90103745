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
}

/** The outcome of one sweep, as `check --json` prints it (schema in the README). */
export interface SweepReport {
  version: string;
  mode: string;
  startedAt: string;
  finishedAt: string;
  summary: SweepSummary;
  results: Result[];
}

export interface BuildReportOptions {
  /** Count `ok: null` results in `summary.unchecked` (see Strategy.leavesUnchecked). */
  countUnchecked?: boolean;
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
  for (const r of results) {
    if (r.ok === true) up++;
    else if (r.ok === false) down++;
  }
  // An unchecked site is never up; without the unchecked count it is reported down, never lost.
  const summary: SweepSummary = opts.countUnchecked
    ? { total: results.length, up, down, unchecked: results.length - up - down }
    : { total: results.length, up, down: results.length - up };
  return {
    version,
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    summary,
    results,
  };
}
