import { describe, expect, it } from 'vitest';
import { benchRows, type ModeRuns } from '../../src/bench/compare.js';
import type { RunOutput } from '../../src/bench/run-one.js';

function out(wallMs: number, verdicts: string[], cpuMs = 100, peakRssMb = 50): RunOutput {
  return {
    contender: 'x',
    checks: verdicts.length,
    up: verdicts.filter((v) => v === 'ok').length,
    wallMs,
    cpuMs,
    peakRssMb,
    medianMs: 1,
    verdicts,
  };
}

const all = ['ok', 'refused', 'ok', 'ok', 'http-status', 'ok'];

describe('bench rows', () => {
  it('take medians of the runs and compare each mode with the verdicts most modes gave', () => {
    const runs: ModeRuns[] = [
      { mode: 'async', outs: [out(100, all), out(300, all), out(200, all)], sample: null },
      { mode: 'threads', outs: [out(50, all)], sample: null },
      {
        mode: 'processes',
        outs: [
          out(
            60,
            all.map((v) => (v === 'refused' ? 'ok' : v)),
          ),
        ],
        sample: null,
      },
    ];
    const rows = benchRows(6, runs);
    expect(rows.map((r) => [r.mode, r.wallMs, r.agrees, 'sampled' in r])).toEqual([
      ['async', { median: 200, min: 100 }, true, false],
      ['threads', { median: 50, min: 50 }, true, false],
      ['processes', { median: 60, min: 60 }, false, false],
    ]);
    expect(rows[0]?.checksPerSecond).toBe(30);
  });

  it('scale a sampled mode to the whole list, say so, and compare it on the sites it checked', () => {
    const sample = [1, 4];
    const rows = benchRows(6, [
      { mode: 'serial', outs: [out(20, ['refused', 'http-status'], 30, 40)], sample },
      { mode: 'async', outs: [out(10, all)], sample: null },
    ]);
    expect(rows[0]).toEqual({
      mode: 'serial',
      // 2 of 6 sites: times x 3; peak RSS as measured.
      wallMs: { median: 60, min: 60 },
      checksPerSecond: 100,
      cpuMs: 90,
      peakRssMb: 40,
      agrees: true,
      sampled: { checked: 2, of: 6 },
    });
    const wrong = benchRows(6, [
      { mode: 'serial', outs: [out(20, ['ok', 'http-status'])], sample },
      { mode: 'async', outs: [out(10, all)], sample: null },
    ]);
    expect(wrong[0]?.agrees).toBe(false);
  });

  it('count the start-up of a sampled mode once and scale only its sweep, when measured from outside', () => {
    // 20 ms wall and 30 ms CPU in all, of which the sweep of 2 sites took 8 ms and 6 ms: the rest is start-up.
    const measured = { ...out(20, ['refused', 'http-status'], 30), sweep: { wallMs: 8, cpuMs: 6 } };
    const [row] = benchRows(6, [
      { mode: 'serial', outs: [measured], sample: [1, 4] },
      { mode: 'async', outs: [out(10, all)], sample: null },
    ]);
    expect(row).toMatchObject({ wallMs: { median: 12 + 8 * 3, min: 12 + 8 * 3 }, cpuMs: 24 + 6 * 3 });
  });

  it('compare sampled runs among themselves when no mode checked every site', () => {
    const rows = benchRows(6, [
      { mode: 'serial', outs: [out(20, ['ok', 'ok']), out(22, ['ok', 'ok'])], sample: [0, 3] },
    ]);
    expect(rows[0]).toMatchObject({ agrees: true, sampled: { checked: 2, of: 6 }, wallMs: { median: 63 } });
  });
});
