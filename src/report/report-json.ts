import type { UptimeReport } from '../store/uptime-report.js';

/** `report --json`: exactly one document, { since, until, sites: [...] }. */
export function renderUptimeJson(report: UptimeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
