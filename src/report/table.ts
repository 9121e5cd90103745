/**
 * The table `check` prints: a header row, down sites first, then unchecked ones (queue mode), then up ones,
 * each group in config order; then one summary line, and a note when no site answered at all. It reads at
 * 80 columns (or the terminal's width): a long failure reason wraps at word boundaries under its column
 * instead of being cut.
 */

import type { ChalkInstance } from 'chalk';
import type { Result } from '../core/result.js';
import { formatMs } from '../util/time.js';
import { regionalMark } from './locations.js';
import { noAnswerNote } from './no-answer.js';
import type { SweepReport } from './sweep-report.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Only the down sites and the summary. */
  quiet: boolean;
  /** Terminal width, when known; 80 otherwise (a CI log, a pipe). */
  columns?: number;
}

const DEFAULT_COLUMNS = 80;
const TIME_WIDTH = 8;
const GAP = '  ';
/** The detail column never gets narrower than this; the site column gives way first. */
const MIN_DETAIL = 28;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** What happened, in words: the status when up; the reason when down, without saying the status twice. */
function detail(r: Result): string {
  const retried = r.attempts > 1 ? ` (${plural(r.attempts, 'attempt')})` : '';
  if (r.ok) {
    const via = r.method === 'GET' ? ' GET' : '';
    const hops = r.redirects ? ` after ${plural(r.redirects, 'redirect')}` : '';
    return `${r.status}${via}${hops}${retried}${marks(r)}`;
  }
  // An http-status message already starts with "HTTP 503", and an unchecked one says "not checked".
  const reason =
    r.kind === 'http-status'
      ? (r.error ?? `HTTP ${r.status}`)
      : r.kind === 'unchecked' && r.error
        ? r.error
        : `${r.kind}: ${r.error ?? ''}`;
  return `${reason}${retried}`;
}

/** ", slow: 812 ms > 500 ms, certificate expires in 12 days". */
function marks(r: Result): string {
  const limit = r.assertions?.find((a) => !a.passed)?.assertion.match(/^response within (\d+) ms$/)?.[1];
  const slow = r.degraded ? `${formatMs(r.timings.totalMs)} > ${limit ?? '?'} ms` : undefined;
  const cert =
    r.certWarning != null && r.tls
      ? r.tls.daysLeft < 0
        ? `certificate expired ${plural(-r.tls.daysLeft, 'day')} ago`
        : `certificate expires in ${plural(r.tls.daysLeft, 'day')}`
      : undefined;
  return [
    slow === undefined ? '' : `, slow: ${slow}`,
    cert === undefined ? '' : `, ${cert}`,
    regionalMark(r),
  ].join('');
}

/** Up, but slow or with a certificate close to its expiry: shown in yellow, after the down ones. */
function warned(r: Result): boolean {
  return r.ok === true && (r.degraded === true || r.certWarning != null);
}

/**
 * Words into lines of at most `width` characters. A single word longer than the width (a long URL) keeps
 * a line of its own rather than being cut.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function verdictText(r: Result): string {
  if (r.ok === true) return r.degraded ? 'SLOW' : r.certWarning != null ? 'CERT' : 'UP';
  return r.ok === false ? 'DOWN' : 'UNCHECKED';
}

function colour(r: Result, chalk: ChalkInstance): (text: string) => string {
  if (warned(r)) return chalk.yellow;
  if (r.ok === true) return chalk.green;
  if (r.ok === false) return chalk.red;
  return chalk.yellow;
}

export function renderTable(report: SweepReport, opts: TableOptions): string {
  const { chalk } = opts;
  const rows = [
    ...report.results.filter((r) => r.ok === false),
    ...report.results.filter((r) => r.ok === null),
    ...(opts.quiet ? [] : report.results.filter(warned)),
    ...(opts.quiet ? [] : report.results.filter((r) => r.ok === true && !warned(r))),
  ];
  const lines: string[] = [];
  if (rows.length > 0) {
    const columns = Math.max(40, opts.columns ?? DEFAULT_COLUMNS);
    const verdictWidth = rows.some((r) => r.ok === null) ? 'UNCHECKED'.length : 'STATE'.length;
    const labels = rows.map((r) => r.name ?? r.url);
    const fixed = verdictWidth + TIME_WIDTH + GAP.length * 3;
    const labelRoom = Math.max(8, columns - fixed - MIN_DETAIL);
    const labelWidth = Math.min(labelRoom, Math.max('SITE'.length, ...labels.map((l) => l.length)));
    const detailWidth = columns - fixed - labelWidth;
    const indent = ' '.repeat(fixed + labelWidth);
    lines.push(
      chalk.dim(
        ['STATE'.padEnd(verdictWidth), 'SITE'.padEnd(labelWidth), 'TIME'.padStart(TIME_WIDTH), 'DETAIL'].join(
          GAP,
        ),
      ),
    );
    for (const [i, r] of rows.entries()) {
      const paint = colour(r, chalk);
      const verdict = verdictText(r).padEnd(verdictWidth);
      const label = clip(labels[i] ?? '', labelWidth).padEnd(labelWidth);
      // The whole check, retries and their pauses included: what the person waited for.
      const time = (r.ok === null ? '-' : formatMs(r.durationMs)).padStart(TIME_WIDTH);
      const [first = '', ...rest] = wrapWords(detail(r), detailWidth);
      const plain = r.ok === true && !warned(r);
      const painted = plain ? first : paint(first);
      lines.push([plain ? paint(verdict) : paint(chalk.bold(verdict)), label, time, painted].join(GAP));
      for (const more of rest) lines.push(`${indent}${plain ? more : paint(more)}`);
    }
  }
  const { total, up, down, unchecked, degraded, certWarnings } = report.summary;
  const took = formatMs(Date.parse(report.finishedAt) - Date.parse(report.startedAt));
  let counts = down > 0 ? chalk.red.bold(`${down} down`) : chalk.green(`${down} down`);
  if (unchecked !== undefined) {
    counts += `, ${unchecked > 0 ? chalk.yellow.bold(`${unchecked} unchecked`) : chalk.green('0 unchecked')}`;
  }
  if (degraded) counts += `, ${chalk.yellow.bold(`${degraded} degraded`)}`;
  if (certWarnings) counts += `, ${chalk.yellow.bold(`${plural(certWarnings, 'certificate')} expiring`)}`;
  lines.push(
    `${plural(total, 'site')}: ${chalk.green(`${up} up`)}, ${counts} in ${took} (mode ${report.mode})`,
  );
  const note = noAnswerNote(report.results);
  if (note !== null) lines.push(chalk.yellow(note));
  return `${lines.join('\n')}\n`;
}
