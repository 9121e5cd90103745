import { describe, expect, it } from 'vitest';
import { KEY_PREFIX } from '../../src/strategies/queue/protocol.js';
import { startRunningBin } from '../e2e/running-bin.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { waitFor } from '../helpers/proc-table.js';
import { runBin, tempDir } from '../helpers/processes.js';
import { sweepState, useQueue } from './workers.js';

// Queue mode with nobody listening, on the built bin (`npm test` builds first).

const queue = useQueue();

const { defer, serve, raw, config } = useCleanup();

const check = (args: string[]) =>
  runBin(args, { env: { NO_COLOR: '1', FORCE_COLOR: '' }, timeoutMs: 20_000 });

/** `check FILE --mode queue --redis URL ...extra`, for runBin or startRunningBin. */
const queued = (file: string, ...extra: string[]) => [
  'check',
  file,
  '--mode',
  'queue',
  '--redis',
  queue.redis().url,
  ...extra,
];

describe('check --mode queue with no worker connected (built bin)', () => {
  it('says so within seconds (default wait 5s), names the command to run, exits 3 and queues nothing', async () => {
    const redis = queue.redis();
    const file = await config([`${(await serve(status(200))).url}/`]);
    const run = await check(queued(file));

    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: no worker is connected to ${redis.url}: start one with \`uptime-squirrel worker --redis ${redis.url}\` ` +
        '(waited 5s; --wait-for-workers waits longer, for workers that start later)\n',
    );
    // The default deadline is 5 minutes: this is the wait for workers, not the deadline.
    expect(run.durationMs).toBeLessThan(10_000);
    // No batch was left for a worker that comes later, and no sweep is open.
    const keys = await redis.command('KEYS', `${KEY_PREFIX}:*`);
    expect(keys).not.toMatch(/:sweep:|:wait\r\n|:\d/);
  });

  it('with --wait-for-workers, waits for a worker that starts later and checks through it', async () => {
    const redis = queue.redis();
    const up = await serve(status(200));
    const file = await config([`${up.url}/a`, `${up.url}/b`]);
    const bin = startRunningBin(queued(file, '--wait-for-workers', '20s'));
    defer(bin.stop);
    // The coordinator is connected and waiting (its connection is named in CLIENT LIST) before any worker.
    await expect
      .poll(() => redis.command('CLIENT', 'LIST'), { timeout: 10_000 })
      .toContain('name=uptime-squirrel-coordinator');
    expect(up.requests).toHaveLength(0);
    await queue.worker().ready;

    const { code } = await bin.exited;
    expect(bin.stderr).toBe('');
    expect(code).toBe(0);
    expect(bin.stdout).toContain('2 sites: 2 up, 0 down, 0 unchecked in');
    expect(up.requests).toHaveLength(2);
  });

  it('Ctrl-C while waiting for a worker stops at once: every site unchecked, exit 130', async () => {
    const redis = queue.redis();
    const file = await config([`${(await serve(status(200))).url}/`]);
    const bin = startRunningBin(queued(file, '--wait-for-workers', '20s', '--json'));
    defer(bin.stop);
    await expect
      .poll(() => redis.command('CLIENT', 'LIST'), { timeout: 10_000 })
      .toContain('name=uptime-squirrel-coordinator');
    const sent = performance.now();
    bin.kill('SIGINT');

    expect((await bin.exited).code).toBe(130);
    expect(performance.now() - sent).toBeLessThan(3000);
    const doc = JSON.parse(bin.stdout);
    expect(doc.summary).toEqual({ total: 1, up: 0, down: 0, unchecked: 1 });
    expect(doc.results[0]).toMatchObject({ ok: null, error: 'not checked: interrupted by SIGINT' });
  });

  it('ends the sweep soon after every worker has left, not at the deadline: the rest are unchecked', async () => {
    const redis = queue.redis();
    const up = await serve(status(200));
    const quiet = await raw(silent());
    const file = await config({
      sites: [
        { url: `${up.url}/a`, name: 'answered' },
        { url: `${quiet.url}/b`, name: 'silent', timeoutMs: 20_000 },
        { url: `${quiet.url}/c`, name: 'silent too', timeoutMs: 20_000 },
      ],
    });
    const only = queue.worker(['-c', '8']);
    await only.ready;
    const bin = startRunningBin(queued(file, '--deadline', '5m', '--wait-for-workers', '1s', '--json'));
    defer(bin.stop);
    expect(await waitFor(() => quiet.connections >= 2, 10_000)).toBe(true);
    await expect.poll(() => sweepState(redis), { timeout: 5000 }).toEqual({ stored: 1, waiting: 0 });
    only.kill();
    const gone = performance.now();

    const { code } = await bin.exited;
    expect(code).toBe(1);
    expect(performance.now() - gone).toBeLessThan(8000);
    const doc = JSON.parse(bin.stdout);
    expect(doc.summary).toEqual({ total: 3, up: 1, down: 0, unchecked: 2 });
    expect(doc.results[1]).toMatchObject({
      name: 'silent',
      ok: null,
      kind: 'unchecked',
      error: 'no worker connected to the queue for 1s: every worker left mid-sweep',
    });
  });

  it('watch --once says the same and exits 3', async () => {
    const redis = queue.redis();
    const file = await config([`${(await serve(status(200))).url}/`]);
    const dir = await tempDir();
    defer(dir.cleanup);
    const run = await runBin(
      [
        'watch',
        file,
        '--once',
        '--db',
        `${dir.path}/w.db`,
        '--mode',
        'queue',
        '--redis',
        redis.url,
        '--wait-for-workers',
        '500ms',
      ],
      { env: { NO_COLOR: '1' }, timeoutMs: 15_000 },
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`no worker is connected to ${redis.url}: start one with`);
  });

  it('refuses a wait as long as the deadline, and --wait-for-workers in another mode (exit 2)', async () => {
    const file = await config(['http://127.0.0.1:9/']);
    const long = await check(queued(file, '--deadline', '10s', '--wait-for-workers', '10s'));
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("--wait-for-workers (10s) must be shorter than the sweep's deadline (10s)");
    const misplaced = await check(['check', file, '--wait-for-workers', '10s']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--wait-for-workers applies to --mode queue only');
  });
});
