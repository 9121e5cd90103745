import { describe, expect, it } from 'vitest';
import { startRunningBin } from '../e2e/running-bin.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { alive, waitFor } from '../helpers/proc-table.js';
import { sweepState, useQueue } from './workers.js';

// `check --mode queue` stopped by a signal, on the built bin (`npm test` builds first).

const queue = useQueue();

const { defer, serve, raw, config } = useCleanup();

describe('check --mode queue stopped by a signal (built bin)', () => {
  it('SIGINT: prints the results the coordinator has, the rest unchecked, exit 130, and leaves no sweep behind', async () => {
    const redis = queue.redis();
    await queue.worker(['-c', '8']).ready;
    const up = await serve(status(200));
    const quiet = await raw(silent());
    const file = await config({
      sites: [
        { url: `${up.url}/a`, name: 'first' },
        { url: `${up.url}/b`, name: 'second' },
        { url: `${quiet.url}/c`, name: 'third', timeoutMs: 20_000 },
      ],
    });
    const bin = startRunningBin(['check', file, '--mode', 'queue', '--redis', redis.url, '--deadline', '1m']);
    defer(bin.stop);
    // All three in flight at once; the up sites' results taken by the coordinator (stored, and no
    // longer waiting in the sweep's list).
    expect(await waitFor(() => quiet.connections >= 1, 10_000)).toBe(true);
    await expect.poll(() => sweepState(redis), { timeout: 5000 }).toEqual({ stored: 2, waiting: 0 });
    bin.kill('SIGINT');

    expect((await bin.exited).code).toBe(130);
    expect(bin.stdout).toMatch(/^UP\s+first\s/m);
    expect(bin.stdout).toMatch(/^UP\s+second\s/m);
    expect(bin.stdout).toMatch(/^UNCHECKED\s+third\s+-\s+.*not checked: interrupted by SIGINT/m);
    expect(bin.stdout).toContain('3 sites: 2 up, 0 down, 1 unchecked in');
    // The sweep is closed: its keys are gone, so the worker drops the result it is still working on.
    expect(await sweepState(redis)).toBeNull();
  });

  it('a second signal exits at once, even while the first waits on a Redis that stopped answering', async () => {
    const redis = queue.redis();
    await queue.worker(['-c', '1']).ready;
    const quiet = await raw(silent());
    const file = await config([{ url: `${quiet.url}/`, timeoutMs: 20_000 }]);
    const bin = startRunningBin(['check', file, '--mode', 'queue', '--redis', redis.url, '--deadline', '1m']);
    defer(bin.stop);
    expect(await waitFor(() => quiet.connections >= 1, 10_000)).toBe(true);
    // Redis frozen: its connections stay open and nothing answers (cleaning up the sweep would wait).
    process.kill(redis.pid, 'SIGSTOP');
    defer(async () => {
      process.kill(redis.pid, 'SIGCONT');
    });
    bin.kill('SIGINT');
    expect(await waitFor(() => bin.stderr.includes('a second signal quits at once'), 5000)).toBe(true);
    const sent = performance.now();
    bin.kill('SIGTERM');
    const { code } = await bin.exited;
    process.kill(redis.pid, 'SIGCONT');

    // The second signal's code: the first one's stop never got to print anything.
    expect(code).toBe(143);
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(bin.stdout).toBe('');
    expect(alive(bin.pid)).toBe(false);
  });
});
