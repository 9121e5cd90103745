import type { ChalkInstance } from 'chalk';
import type { Result } from '../core/result.js';
import { formatMs } from '../util/time.js';
import type { SweepReport } from './sweep-report.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Only the down sites and the summary. */
  quiet: boolean;
  /** Terminal width, when known, to keep rows on one line. */
  columns?: number;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

function detail(r: Result): string {
  if (r.ok)
    return `${r.status}${r.method === 'GET' ? ' GET' : ''}${r.redirects ? ` after ${r.redirects} redirect(s)` : ''}`;
  const head = r.kind === 'http-status' ? `${r.status}` : r.kind;
  return `${head}: ${r.error ?? ''}`;
}

function verdictText(r: Result, width: number, chalk: ChalkInstance): string {
  if (r.ok === true) return chalk.green('UP'.padEnd(width));
  if (r.ok === false) return chalk.red.bold('DOWN'.padEnd(width));
  return chalk.yellow.bold('UNCHECKED'.padEnd(width));
}

/**
 * Down sites first, then unchecked ones (queue mode), then up ones, each group in config order; then
 * one summary line. The verdict column widens only when an UNCHECKED row is shown.
 */
export function renderTable(report: SweepReport, opts: TableOptions): string {
  const { chalk } = opts;
  const rows = [
    ...report.results.filter((r) => r.ok === false),
    ...report.results.filter((r) => r.ok === null),
    ...(opts.quiet ? [] : report.results.filter((r) => r.ok === true)),
  ];
  const verdictWidth = rows.some((r) => r.ok === null) ? 'UNCHECKED'.length : 4;
  const labels = rows.map((r) => r.name ?? r.url);
  const labelWidth = Math.min(60, Math.max(4, ...labels.map((l) => l.length)));
  const lines: string[] = [];
  for (const [i, r] of rows.entries()) {
    const verdict = verdictText(r, verdictWidth, chalk);
    const label = clip(labels[i] ?? '', labelWidth).padEnd(labelWidth);
    const time = (r.ok === null ? '-' : formatMs(r.timings.totalMs)).padStart(8);
    const attempts = r.attempts > 1 ? ` (${r.attempts} attempts)` : '';
    let text = detail(r);
    // The attempts note shares the line, so it comes out of the detail's share of the width.
    if (opts.columns)
      text = clip(text, Math.max(20, opts.columns - labelWidth - verdictWidth - 16 - attempts.length));
    const shown = r.ok === true ? text : r.ok === false ? chalk.red(text) : chalk.yellow(text);
    lines.push(`${verdict}  ${label}  ${time}  ${shown}${attempts && chalk.dim(attempts)}`);
  }
  const { total, up, down, unchecked } = report.summary;
  const took = formatMs(Date.parse(report.finishedAt) - Date.parse(report.startedAt));
  let counts = down > 0 ? chalk.red.bold(`${down} down`) : chalk.green(`${down} down`);
  if (unchecked !== undefined) {
    counts += `, ${unchecked > 0 ? chalk.yellow.bold(`${unchecked} unchecked`) : chalk.green('0 unchecked')}`;
  }
  lines.push(
    `${total} site${total === 1 ? '' : 's'}: ${chalk.green(`${up} up`)}, ${counts} in ${took} (mode ${report.mode})`,
  );
  return `${lines.join('\n')}\n`;
}
