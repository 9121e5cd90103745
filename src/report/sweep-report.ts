import type { Result } from '../probe/types.js';

/** The outcome of one sweep, as `check --json` prints it (schema in the README). */
export interface SweepReport {
  version: string;
  mode: string;
  startedAt: string;
  finishedAt: string;
  summary: { total: number; up: number; down: number };
  results: Result[];
}

export function buildReport(
  version: string,
  mode: string,
  startedAt: Date,
  finishedAt: Date,
  results: Result[],
): SweepReport {
  const up = results.filter((r) => r.ok).length;
  return {
    version,
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    summary: { total: results.length, up, down: results.length - up },
    results,
  };
}
