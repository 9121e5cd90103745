import type { BenchReport } from '../report/bench.js';
import type { RunOutput } from './run-one.js';

/** The runs of one mode, and the sites they checked when not every one (a sample). */
export interface ModeRuns {
  mode: string;
  outs: RunOutput[];
  /** Indexes into the whole list of the sites checked; null: every site. */
  sample: number[] | null;
}

export type BenchRow = BenchReport['results'][number];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : Math.round(((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2);
};

/** The verdict vector most runs gave: the reference each mode is compared with. */
function consensus(vectors: string[][]): string[] {
  const counts = new Map<string, { n: number; vector: string[] }>();
  for (const vector of vectors) {
    const key = vector.join(',');
    const seen = counts.get(key) ?? { n: 0, vector };
    seen.n++;
    counts.set(key, seen);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.vector ?? [];
}

/**
 * One row per mode: the medians of its runs, and whether its verdicts agree with the others'. A mode
 * measured on a sample is compared on the sites it checked, and its wall and CPU times are scaled to the
 * whole list (`sampled` says so), start-up counted once; peak RSS is as measured.
 */
export function benchRows(total: number, runs: readonly ModeRuns[]): BenchRow[] {
  const full = runs.filter((r) => r.sample === null);
  // Samples are the same sites for every sampled mode, so with no full run they are compared as they are.
  const reference = consensus((full.length > 0 ? full : runs).map((r) => r.outs[0]?.verdicts ?? []));
  return runs.map(({ mode, outs, sample }) => {
    const expected = full.length > 0 && sample !== null ? sample.map((i) => reference[i]) : reference;
    const scale = sample === null ? 1 : total / Math.max(1, sample.length);
    // A sample's sweep is scaled to the whole list; its start-up (measured from outside) is paid once.
    const scaled = (whole: number, sweep: number | undefined) =>
      sweep === undefined ? whole * scale : whole - sweep + sweep * scale;
    const walls = outs.map((o) => scaled(o.wallMs, o.sweep?.wallMs));
    const wallMedian = Math.round(median(walls));
    const row: BenchRow = {
      mode,
      wallMs: { median: wallMedian, min: Math.round(Math.min(...walls)) },
      checksPerSecond: Math.round((total / Math.max(1, wallMedian)) * 1000),
      cpuMs: Math.round(median(outs.map((o) => scaled(o.cpuMs, o.sweep?.cpuMs)))),
      peakRssMb: Math.max(...outs.map((o) => o.peakRssMb)),
      agrees: outs.every((o) => o.verdicts.join(',') === expected.join(',')),
    };
    if (sample !== null) row.sampled = { checked: sample.length, of: total };
    return row;
  });
}
