import { describe, expect, it } from 'vitest';
import { MODE_NAMES } from '../../src/strategies/index.js';
import { runBin } from '../helpers/processes.js';

// The built bin end to end (`npm test` builds first; alone, run `npm run build`). runBin resolves once
// every holder of the bin's stdout and stderr has closed them: a fixture or worker process left behind
// (they inherit stderr) would keep the run open until its timeout.

describe('bench --simulate (built bin)', () => {
  it('prints one clean JSON document with a row per local mode, progress on stderr, exit 0', async () => {
    const run = await runBin(
      [
        'bench',
        '--simulate',
        '50',
        '--repeat',
        '1',
        '--json',
        '--latency',
        '20ms',
        '--errors',
        '--workers',
        '2',
      ],
      { env: { NO_COLOR: '1' }, timeoutMs: 60_000 },
    );

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      sites: number;
      repeat: number;
      results: Array<{ mode: string; wallMs: { median: number; min: number }; agrees: boolean }>;
    };
    expect(report).toMatchObject({ sites: 50, repeat: 1 });
    expect(report.results.map((r) => r.mode)).toEqual([...MODE_NAMES]);
    for (const row of report.results) {
      // Every mode reached the same verdicts, failing origins included.
      expect(row.agrees, row.mode).toBe(true);
      expect(row.wallMs.median).toBeGreaterThan(0);
    }
    for (const mode of MODE_NAMES) expect(run.stderr).toContain(`bench: ${mode}, run 1 of 1...`);
  });

  it('refuses queue mode without --redis before starting anything (exit 2)', async () => {
    const run = await runBin(['bench', '--simulate', '5', '--modes', 'async,queue'], {
      env: { UPTIME_SQUIRREL_REDIS_URL: '' },
      timeoutMs: 10_000,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bench --modes queue needs --redis URL');
    expect(run.stderr).not.toContain('bench: async');
  });
});
