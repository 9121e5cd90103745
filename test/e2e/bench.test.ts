import { describe, expect, it } from 'vitest';
import { sampleIndexes } from '../../src/bench/sample.js';
import { MODE_NAMES } from '../../src/strategies/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { waitFor } from '../helpers/proc-table.js';
import { binPath, runBin } from '../helpers/processes.js';
import { runProgram, startRunningBin } from './running-bin.js';

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

const { defer, serve, config } = useCleanup();

describe('bench on a long list and with a person waiting (built bin)', () => {
  /** A sites.json of `count` sites on one counting server: which sites a mode checked is what it asked for. */
  async function countedSites(count: number) {
    const server = await serve(status(200));
    const file = await config({
      defaults: { retries: 0 },
      sites: Array.from({ length: count }, (_, i) => `${server.url}/site-${i}`),
    });
    const checked = () => server.requests.map((r) => Number(r.url.replace('/site-', '')));
    return { file, checked };
  }

  it('measures serial mode on an evenly spaced sample of a long list, and says so in the row', async () => {
    const { file, checked } = await countedSites(120);
    const run = await runBin(['bench', file, '--modes', 'serial', '--repeat', '1', '--json'], {
      env: { NO_COLOR: '1' },
      timeoutMs: 60_000,
    });

    expect(run.code).toBe(0);
    expect(checked()).toEqual(sampleIndexes(120));
    const [row] = JSON.parse(run.stdout).results;
    expect(row).toMatchObject({ mode: 'serial', agrees: true, sampled: { checked: 50, of: 120 } });
    expect(run.stderr).toContain(
      'bench: serial, run 1 of 1 (50 of 120 sites, evenly spaced; --full for all)...',
    );

    const table = await runBin(['bench', file, '--modes', 'serial,async', '--repeat', '1'], {
      env: { NO_COLOR: '1' },
      timeoutMs: 60_000,
    });
    expect(table.stdout).toMatch(/^serial\*\s+\d+ ms/m);
    expect(table.stdout).toMatch(/^async\s+\d+ ms/m);
    expect(table.stdout).toContain(
      '* serial: measured on 50 of 120 sites (evenly spaced), times extrapolated to all; --full checks every site',
    );
  });

  it('--full checks every site in serial mode too', async () => {
    const { file, checked } = await countedSites(60);
    const run = await runBin(['bench', file, '--modes', 'serial', '--repeat', '1', '--json', '--full'], {
      env: { NO_COLOR: '1' },
      timeoutMs: 60_000,
    });

    expect(run.code).toBe(0);
    expect(checked().sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(JSON.parse(run.stdout).results[0]).not.toHaveProperty('sampled');
    expect(run.stderr).not.toContain('evenly spaced');
  });

  it('shows progress on a terminal (stderr), and none in a pipe', async () => {
    const { file } = await countedSites(12);
    // `script` gives the bin a pseudo-terminal, as a person at a shell would.
    const command = `${process.execPath} ${binPath} bench ${file} --modes serial,async --repeat 1 --json`;
    const tty = await runProgram('script', ['-qec', command, '/dev/null']);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('\r\x1b[Kchecked 1/12');
    const piped = await runBin(['bench', file, '--modes', 'serial,async', '--repeat', '1', '--json'], {
      timeoutMs: 30_000,
    });
    expect(piped.stderr).not.toContain('checked');
    expect(piped.stderr).toContain('bench: async, run 1 of 1...');
  });

  it('refuses a sites.json together with --simulate, and --latency or --errors without it (exit 2)', async () => {
    const { file, checked } = await countedSites(3);
    const both = await runBin(['bench', file, '--simulate', '10'], { timeoutMs: 10_000 });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      `bench takes a sites.json or --simulate N, not both: --simulate checks a built-in fixture of local origins instead of the sites in ${file}.`,
    );
    expect(both.stderr).not.toContain('bench: ');
    for (const extra of [['--latency', '1s'], ['--errors']]) {
      const stray = await runBin(['bench', file, ...extra], { timeoutMs: 10_000 });
      expect(stray.code).toBe(2);
      expect(stray.stderr).toContain(`${extra[0]} applies to --simulate only`);
    }
    expect(checked()).toEqual([]);
  });

  it('stops on SIGINT: exit 130 at once, contenders and fixture gone with it', async () => {
    const bin = startRunningBin([
      'bench',
      '--simulate',
      '20',
      '--latency',
      '5s',
      '--modes',
      'serial',
      '--repeat',
      '1',
    ]);
    defer(bin.stop);
    expect(await waitFor(() => bin.stderr.includes('bench: serial, run 1 of 1'), 10_000)).toBe(true);
    const sent = performance.now();
    bin.kill('SIGINT');
    // 'exited' waits for every holder of the bin's stderr to close it: the contender and fixture too.
    const { code } = await bin.exited;
    expect(code).toBe(130);
    expect(performance.now() - sent).toBeLessThan(3000);
    expect(bin.stderr).toContain('interrupted by SIGINT');
  });
});
