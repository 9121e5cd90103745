import type { ChalkInstance } from 'chalk';

/** `bench --json` prints exactly this document (schema in the README). */
export interface BenchReport {
  sites: number;
  repeat: number;
  results: Array<{
    mode: string;
    wallMs: { median: number; min: number };
    checksPerSecond: number;
    cpuMs: number;
    peakRssMb: number;
    agrees: boolean;
    /**
     * Present when the mode was measured on an evenly spaced sample of the list (one check at a time on a
     * long list, without --full): wall and CPU times are extrapolated to all `of` sites.
     */
    sampled?: { checked: number; of: number };
  }>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is being matched.
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (text: string) => text.replace(ANSI, '').length;

export function renderBenchTable(report: BenchReport, chalk: ChalkInstance, note: string): string {
  const head = [
    'mode',
    'wall median',
    'wall min',
    'checks/s',
    'CPU s',
    'CPU us/check',
    'peak RSS MB',
    'agrees',
  ];
  const rows = report.results.map((r) => [
    r.sampled ? `${r.mode}*` : r.mode,
    `${r.wallMs.median} ms`,
    `${r.wallMs.min} ms`,
    String(r.checksPerSecond),
    (r.cpuMs / 1000).toFixed(2),
    String(Math.round((r.cpuMs * 1000) / Math.max(1, report.sites))),
    String(r.peakRssMb),
    r.agrees ? chalk.green('yes') : chalk.red('NO'),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = (widths[i] ?? 0) - visible(c);
        return i === 0 ? c + ' '.repeat(pad) : ' '.repeat(pad) + c;
      })
      .join('  ');
  const notes = report.results.flatMap((r) =>
    r.sampled
      ? [
          `* ${r.mode}: measured on ${r.sampled.checked} of ${r.sampled.of} sites (evenly spaced), times extrapolated to all; --full checks every site`,
        ]
      : [],
  );
  return `${[note, chalk.bold(line(head)), ...rows.map(line), ...notes].join('\n')}\n`;
}
