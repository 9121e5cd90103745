import type { SweepReport } from './sweep-report.js';

/** Exactly one JSON document, for machines. */
export function renderJson(report: SweepReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
