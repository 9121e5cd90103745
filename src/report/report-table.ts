import type { ChalkInstance } from 'chalk';
import type { SiteUptime, UptimeView } from '../store/uptime-report.js';
import { formatDuration } from '../util/duration.js';
import { formatMs, humanDuration, shortUtc } from '../util/time.js';
import { locationUptimeLines } from './locations.js';
import { quietLines } from './quiet-lines.js';
import { OFFLINE_MARK, sparkline } from './report-sparkline.js';

export interface UptimeTableOptions {
  chalk: ChalkInstance;
  /** Terminal width, when known, to clip long names. */
  columns?: number;
  /** For the heading, e.g. the --db file. */
  source: string;
}

/** "2025-01-02 09:55Z": minutes are enough for a state's start, and the Z says it is UTC. */
function shortTime(iso: string | null): string {
  return iso === null ? '-' : shortUtc(iso);
}

/** The window as it was probably asked for: 7d, 24h, 90m. */
function windowText(ms: number): string {
  const DAY = 86_400_000;
  return ms >= 2 * DAY && ms % DAY === 0 ? `${ms / DAY}d` : formatDuration(ms);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

function ms(value: number | null): string {
  return value === null ? '-' : formatMs(value);
}

function stateText(site: SiteUptime, chalk: ChalkInstance): string {
  const text = site.state.toUpperCase().padEnd(7);
  if (site.state === 'up') return chalk.green(text);
  if (site.state === 'down') return chalk.red.bold(text);
  return chalk.dim(text);
}

/** "2030-01-01 10:00Z to 2030-01-01 10:25Z (25m)", or "... to ongoing (25m)". */
function span(start: string, end: string | null, until: string, chalk: ChalkInstance): string {
  const lasted = humanDuration(Date.parse(end ?? until) - Date.parse(start));
  return `${shortTime(start)} to ${end === null ? chalk.red('ongoing') : shortTime(end)} (${lasted})`;
}

/** The gaps: a legend for the sparkline's mark, and the stretches themselves, beside the incidents. */
function offlineLines(view: UptimeView, chalk: ChalkInstance): string[] {
  const { report } = view;
  const kept = report.sites.reduce((n, s) => n + s.offlineChecks, 0);
  const lines: string[] = [];
  if (kept > 0) {
    const checks = kept === 1 ? '1 check taken then is' : `${kept} checks taken then are`;
    lines.push('', `${OFFLINE_MARK} monitor offline: ${checks} kept but not counted in uptime`);
  }
  if (report.offline.length > 0) {
    lines.push('', chalk.bold('Monitor offline'));
    for (const p of report.offline) {
      const sweeps = `${p.sweeps} sweep${p.sweeps === 1 ? '' : 's'}`;
      lines.push(`  ${span(p.start, p.end, report.until, chalk)}, ${sweeps}: ${p.cause}`);
    }
  }
  return lines;
}

export function renderUptimeTable(view: UptimeView, opts: UptimeTableOptions): string {
  const { chalk } = opts;
  const { report } = view;
  const windowMs = Date.parse(report.until) - Date.parse(report.since);
  const lines = [
    `Uptime from ${shortTime(report.since)} to ${shortTime(report.until)} (${windowText(windowMs)}), ` +
      `${report.sites.length} site${report.sites.length === 1 ? '' : 's'}, ${opts.source}`,
  ];
  if (report.sites.length === 0) {
    lines.push('No site was checked in this window.');
    return `${lines.join('\n')}\n`;
  }
  const labels = report.sites.map((s) => s.name ?? s.url);
  const labelWidth = Math.min(
    opts.columns ? Math.max(12, opts.columns - 100) : 40,
    Math.max(4, ...labels.map((l) => l.length)),
  );
  const head = [
    'SITE'.padEnd(labelWidth),
    'STATE  ',
    'SINCE'.padEnd(17),
    'UPTIME'.padStart(8),
    'CHECKS'.padStart(7),
    'P50'.padStart(8),
    'P95'.padStart(8),
    'INCIDENTS'.padStart(9),
    'RESPONSE TIME',
  ];
  lines.push('', chalk.bold(head.join('  ')));
  report.sites.forEach((site, i) => {
    const uptime =
      site.uptimePct === null ? '-' : `${site.uptimePct.toFixed(site.uptimePct === 100 ? 0 : 2)}%`;
    const spark = sparkline(view.sparks[i] ?? []);
    lines.push(
      [
        clip(labels[i] ?? '', labelWidth).padEnd(labelWidth),
        stateText(site, chalk),
        shortTime(site.stateSince).padEnd(17),
        site.uptimePct !== null && site.uptimePct < 100
          ? chalk.yellow(uptime.padStart(8))
          : uptime.padStart(8),
        String(site.checks).padStart(7),
        ms(site.p50Ms).padStart(8),
        ms(site.p95Ms).padStart(8),
        String(site.incidents.length).padStart(9),
        spark.replaceAll('×', chalk.red('×')).replaceAll(OFFLINE_MARK, chalk.dim(OFFLINE_MARK)),
      ].join('  '),
    );
  });
  lines.push(...locationUptimeLines(report.sites));
  lines.push(...offlineLines(view, chalk));
  lines.push(...quietLines(report, chalk));
  const withIncidents = report.sites.filter((s) => s.incidents.length > 0);
  if (withIncidents.length > 0) {
    lines.push('', chalk.bold('Incidents'));
    for (const site of withIncidents) {
      for (const incident of site.incidents) {
        const when = span(incident.start, incident.end, report.until, chalk);
        lines.push(`  ${site.name ?? site.url}: ${when}: ${incident.cause}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
