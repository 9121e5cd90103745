/**
 * A pooled mode opened for many sweeps (watch: openStrategy) keeps its workers from one sweep to the
 * next, replaces one that died (between sweeps or during one) without losing a site, and leaves no
 * worker behind once closed.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { openStrategy, type Strategy, type SweepContext } from '../../src/strategies/index.js';
import { delay } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { childPids, waitFor } from '../helpers/proc-table.js';

// Pool workers run the built dist/ copy of the worker: `npm test` builds before vitest runs.

const servers: TestHttpServer[] = [];
const opened: Strategy[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close?.()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

function open(mode: 'threads' | 'processes'): Strategy {
  const strategy = openStrategy(mode);
  opened.push(strategy);
  return strategy;
}

const site = (url: string): Site => ({ ...DEFAULT_OPTIONS, url, name: null, retries: 0, timeoutMs: 3000 });

/** A sweep context that records the workers started and the child processes alive while checks ran. */
function recording(extra: Partial<SweepContext> = {}) {
  const started: string[] = [];
  const pidsSeen = new Set<number>();
  const ctx: SweepContext = {
    concurrency: 4,
    userAgent: 'uptime-squirrel/test',
    secrets: [],
    workers: 2,
    onWorkerStart: (id) => started.push(id),
    onResult: () => {
      for (const pid of childPids()) pidsSeen.add(pid);
    },
    ...extra,
  };
  return { ctx, started, pidsSeen };
}

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

describe('a pooled mode opened for many sweeps', () => {
  it.each(['threads', 'processes'] as const)('%s: the workers of sweep 1 serve sweep 2', async (mode) => {
    const server = await serve(delay(20));
    const sites = Array.from({ length: 20 }, (_, i) => site(`${server.url}/${i}`));
    const strategy = open(mode);

    const first = recording();
    const one = await strategy.run(sites, first.ctx);
    expect(one.map((r) => r.ok)).toEqual(sites.map(() => true));
    expect(first.started).toHaveLength(2);

    const second = recording();
    const two = await strategy.run(sites, second.ctx);
    expect(two.map((r) => r.url)).toEqual(sites.map((s) => s.url));
    expect(two.every((r) => r.ok)).toBe(true);
    // No worker started for sweep 2: the same ones served it.
    expect(second.started).toEqual([]);
    expect(server.requests).toHaveLength(40);
    if (mode === 'processes') {
      expect(first.pidsSeen.size).toBe(2);
      expect(sorted(second.pidsSeen)).toEqual(sorted(first.pidsSeen));
      // Waiting between sweeps, still there.
      expect(sorted(childPids())).toEqual(sorted(first.pidsSeen));
    }

    await strategy.close?.();
    expect(await waitFor(() => childPids().length === 0)).toBe(true);
    await expect(strategy.run(sites, recording().ctx)).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
  });

  it('replaces a worker process SIGKILLed between sweeps, and one SIGKILLed during a sweep', async () => {
    const server = await serve(delay(100));
    const sites = Array.from({ length: 24 }, (_, i) => site(`${server.url}/${i}`));
    const strategy = open('processes');

    const first = recording();
    await strategy.run(sites, first.ctx);
    const [victim, survivor] = sorted(first.pidsSeen);
    process.kill(victim as number, 'SIGKILL');
    expect(await waitFor(() => !childPids().includes(victim as number))).toBe(true);

    // Sweep 2: the survivor serves it, with one new worker in place of the dead one; then, mid-sweep,
    // the survivor is killed while it holds checks in flight.
    let killed = false;
    const second = recording({
      onResult: () => {
        if (!killed && second.started.length === 1) {
          killed = true;
          process.kill(survivor as number, 'SIGKILL');
        }
      },
    });
    const two = await strategy.run(sites, second.ctx);
    expect(killed).toBe(true);
    expect(two).toHaveLength(24);
    expect(two.map((r) => r.url)).toEqual(sites.map((s) => s.url));
    expect(two.every((r) => r.ok)).toBe(true);
    // One replacement at the start, one for the worker killed mid-sweep.
    expect(second.started).toHaveLength(2);
    expect(second.started.map((id) => Number(id.split(' ')[1]))).not.toContain(survivor);
    expect(childPids()).toHaveLength(2);
    expect(childPids()).not.toContain(survivor);

    await strategy.close?.();
    expect(await waitFor(() => childPids().length === 0)).toBe(true);
  });

  it('starts workers afresh when the split of the concurrency changes (2 x 2 checks, then 3 x 3)', async () => {
    const server = await serve(delay(5));
    const sites = Array.from({ length: 6 }, (_, i) => site(`${server.url}/${i}`));
    const strategy = open('processes');
    await strategy.run(sites, recording().ctx);
    const before = sorted(childPids());
    const again = recording({ concurrency: 9, workers: 3 });
    const results = await strategy.run(sites, again.ctx);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(again.started).toHaveLength(3);
    expect(await waitFor(() => childPids().length === 3)).toBe(true);
    expect(childPids().filter((pid) => before.includes(pid))).toEqual([]);
  });
});
