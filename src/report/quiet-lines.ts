/** The report's lines for maintenance and silences: checks kept apart, and the silences in force. */

import type { ChalkInstance } from 'chalk';
import type { UptimeReport } from '../store/uptime-report.js';

export function quietLines(report: UptimeReport, chalk: ChalkInstance): string[] {
  const lines: string[] = [];
  const kept = report.sites.filter((s) => s.maintenanceChecks > 0);
  if (kept.length > 0) {
    lines.push('', chalk.bold('Maintenance'));
    for (const s of kept) {
      const n = s.maintenanceChecks;
      lines.push(
        `  ${s.name ?? s.url}: ${n} check${n === 1 ? '' : 's'} during maintenance, kept but not counted in uptime`,
      );
    }
  }
  if (report.silences.length > 0) {
    lines.push('', chalk.bold('Silences'));
    for (const x of report.silences) {
      const sites = x.sites === null ? 'every site' : x.sites.join(', ');
      const reason = x.reason === null ? '' : `: ${x.reason}`;
      lines.push(`  ${x.id}  ${sites}, ${x.start} until ${x.end}${reason}`);
    }
  }
  return lines;
}
