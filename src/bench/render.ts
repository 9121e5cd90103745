import { BASELINE, type Contender, type ContenderRun } from './contenders.js';
import type { WorkloadResult } from './run-workloads.js';
import { median } from './stats.js';
import type { Metric } from './workloads.js';

/** The medians of one contender's runs on one workload. */
export interface Summary {
  runs: number;
  checks: number;
  up: number;
  wallMs: number;
  cpuMs: number;
  cpuPerCheckMs: number;
  checksPerSecond: number;
  peakRssMb: number;
  medianResponseMs: number;
}

/** Each figure the median of its own over the runs (not the figures of the median run). */
export function summarize(runs: readonly ContenderRun[]): Summary {
  const m = (pick: (r: ContenderRun) => number) => median(runs.map(pick));
  const checks = runs[0]?.checks ?? 0;
  const wallMs = m((r) => r.wallMs);
  const cpuMs = m((r) => r.cpuMs);
  return {
    runs: runs.length,
    checks,
    up: Math.min(...runs.map((r) => r.up)),
    wallMs,
    cpuMs,
    cpuPerCheckMs: cpuMs / Math.max(1, checks),
    checksPerSecond: (checks / wallMs) * 1000,
    peakRssMb: m((r) => r.peakRssMb),
    medianResponseMs: m((r) => r.medianMs),
  };
}

const num = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** ceil(N / C) x latency: the wall time of a perfect client on a fixture of this latency. */
export function floorMs(result: WorkloadResult, concurrency: number): number {
  const { sites, latencyMs } = result.workload.fixture;
  return Math.ceil(sites / concurrency) * latencyMs;
}

function metricValue(metric: Metric, s: Summary): number {
  switch (metric) {
    case 'cpuPerCheck':
      return s.cpuPerCheckMs;
    case 'checksPerSecond':
      return s.checksPerSecond;
    case 'peakRss':
      return s.peakRssMb;
    case 'wall':
      return s.wallMs;
    case 'medianResponse':
      return s.medianResponseMs;
  }
}

function formatMetric(metric: Metric, s: Summary): string {
  switch (metric) {
    case 'cpuPerCheck':
      return `${num(s.cpuPerCheckMs, 2)} ms`;
    case 'checksPerSecond':
      return `${num(s.checksPerSecond)}/s`;
    case 'peakRss':
      return `${num(s.peakRssMb)} MB`;
    case 'wall':
      return `${num(s.wallMs / 1000, 2)} s`;
    case 'medianResponse':
      return `${num(s.medianResponseMs, 1)} ms`;
  }
}

export function summaries(result: WorkloadResult): Map<string, Summary> {
  return new Map([...result.runs].map(([name, runs]) => [name, summarize(runs)]));
}

/**
 * The issue's table: a row per workload, a column per contender; each cell the workload's figures, the
 * first with its ratio to the bare loop of the same run.
 */
export function renderSummary(results: readonly WorkloadResult[], contenders: readonly Contender[]): string {
  const https = results.some((r) => r.https);
  const heads = contenders.map((c) =>
    c.name === BASELINE && https ? 'bare `node:http` / `node:https` loop' : c.label(false),
  );
  const lines = [`| workload | ${heads.join(' | ')} |`, `|---|${heads.map(() => '---').join('|')}|`];
  for (const result of results) {
    const sums = summaries(result);
    const base = sums.get(BASELINE);
    const cells = contenders.map((c) => {
      const s = sums.get(c.name);
      if (!s) return result.skipped.has(c.name) ? 'skipped' : '';
      const [first, ...rest] = result.workload.show;
      if (!first) return '';
      const ratio = base ? ` (${(metricValue(first, s) / metricValue(first, base)).toFixed(2)}x)` : '';
      const down = s.up < s.checks ? ` [${s.checks - s.up} down]` : '';
      const text =
        [formatMetric(first, s) + ratio, ...rest.map((m) => formatMetric(m, s))].join(' / ') + down;
      return c.name === 'check' ? `**${text}**` : text;
    });
    const n = result.workload.fixture.sites;
    lines.push(
      `| ${result.workload.title}${n !== defaultSites(result) ? ` [N=${num(n)}]` : ''} | ${cells.join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The N in a workload's title, to flag a run (--quick) on fewer sites. */
function defaultSites(result: WorkloadResult): number {
  const m = /N=([\d,]+)/.exec(result.workload.title);
  return m ? Number((m[1] as string).replace(/,/g, '')) : result.workload.fixture.sites;
}

/** Every figure of one workload, a row per contender. */
export function renderDetails(
  result: WorkloadResult,
  contenders: readonly Contender[],
  concurrency: number,
): string {
  const { fixture } = result.workload;
  const floor = floorMs(result, concurrency);
  const sums = summaries(result);
  const base = sums.get(BASELINE);
  const lines = [
    `### ${result.workload.id}: ${result.https ? 'https' : 'http'}, N=${num(fixture.sites)}, ${fixture.latencyMs} ms latency, concurrency ${concurrency}${floor > 0 ? `, floor ${num(floor)} ms` : ''}`,
    '',
    '| contender | runs | wall | vs floor | checks/s | CPU | CPU per check | vs bare | peak RSS | median response | up |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of contenders) {
    const s = sums.get(c.name);
    const skipped = result.skipped.get(c.name);
    if (!s) {
      if (skipped) lines.push(`| ${c.label(result.https)} | 0 | skipped: ${skipped} |||||||||`);
      continue;
    }
    lines.push(
      `| ${c.label(result.https)} | ${s.runs} | ${num(s.wallMs)} ms | ${floor > 0 ? `${((s.wallMs / floor - 1) * 100).toFixed(1)}%` : '-'} | ` +
        `${num(s.checksPerSecond)} | ${num(s.cpuMs)} ms | ${num(s.cpuPerCheckMs * 1000)} µs | ` +
        `${base ? `${(s.cpuPerCheckMs / base.cpuPerCheckMs).toFixed(2)}x` : '-'} | ${num(s.peakRssMb)} MB | ` +
        `${num(s.medianResponseMs, 1)} ms | ${s.up}/${s.checks} |`,
    );
  }
  const notes = [...result.runs].flatMap(([name, runs]) =>
    runs[0]?.note ? [`- ${name}: ${runs[0].note}`] : [],
  );
  return `${[...lines, ...(notes.length ? ['', ...notes] : [])].join('\n')}\n`;
}
