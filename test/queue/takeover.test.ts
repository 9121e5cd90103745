import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { runQueueSweep } from '../../src/strategies/queue/coordinator.js';
import type { SweepContext } from '../../src/strategies/types.js';
import type { Handler } from '../helpers/http-server.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { childPids, waitFor } from '../helpers/proc-table.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startWorker, type WorkerProcess } from './workers.js';

// Worker processes run the built bin (dist/): `npm test` builds first; alone, run
// `npx tsc -p tsconfig.build.json` before these tests.

let redis: TestRedis;
const workers: WorkerProcess[] = [];
const servers: TestHttpServer[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop(2000)));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await redis.command('FLUSHALL');
  // No orphans: every worker process of this test is gone; only redis-server is left.
  expect(await waitFor(() => childPids().every((pid) => pid === redis.pid), 3000)).toBe(true);
});

/** Answers 200 after `ms`, counting the requests per path. */
async function slowServer(ms: number, onRequest?: (path: string) => void) {
  const hits = new Map<string, number>();
  const handler: Handler = (req, res) => {
    const path = req.headers.authorization === SECRET ? (req.url ?? '') : 'without the header';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    onRequest?.(path);
    const timer = setTimeout(() => res.end(), ms);
    res.once('close', () => clearTimeout(timer));
  };
  const server = await startHttpServer(handler);
  servers.push(server);
  return { server, hits };
}

function start(args: string[]): WorkerProcess {
  const worker = startWorker(redis.url, args);
  workers.push(worker);
  return worker;
}

const SECRET = 'Bearer s3cret-t0ken';
const site = (url: string): Site => ({
  ...DEFAULT_OPTIONS,
  url,
  name: null,
  retries: 0,
  timeoutMs: 5000,
  // A ${VAR} value in a header: it travels to the worker in the batch, and is never logged.
  headers: { authorization: SECRET },
});
const ctx: SweepContext = { concurrency: 4, userAgent: 'uptime-squirrel/test', secrets: [SECRET] };

describe('queue workers', () => {
  it('take over the batches of a worker killed mid-sweep: every site gets exactly one result', async () => {
    let first: () => void = () => {};
    const firstRequest = new Promise<void>((resolve) => {
      first = resolve;
    });
    const { server, hits } = await slowServer(400, () => first());
    const sites = Array.from({ length: 40 }, (_, i) => site(`${server.url}/${i}`));
    // The victim starts alone, so it surely holds batches (two of five sites, four checks in flight).
    const victim = start(['-c', '4']);
    await victim.ready;

    const arrivals: number[] = [];
    const sweep = runQueueSweep(
      sites,
      { ...ctx, onResult: (_r, index) => arrivals.push(index) },
      { redisUrl: redis.url, deadlineMs: 15_000, batchSize: 5 },
    );
    await firstRequest;
    const survivors = [start(['-c', '4']), start(['-c', '4'])];
    await Promise.all(survivors.map((w) => w.ready));
    victim.kill();
    const results = await sweep;

    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(results).toHaveLength(40);
    expect(results.map((r) => r.url)).toEqual(sites.map((s) => s.url));
    expect(results.every((r) => r.ok === true)).toBe(true);
    // Exactly one result per site, though the victim's checks in flight were made twice (at least once).
    expect(arrivals.toSorted((a, b) => a - b)).toEqual(sites.map((_s, i) => i));
    expect([...hits.values()].some((n) => n > 1)).toBe(true);
    expect([...hits.keys()].sort()).toEqual(sites.map((s) => new URL(s.url).pathname).sort());
    // BullMQ's stalled-job check gave the dead worker's batches back to the queue.
    expect(survivors.some((w) => w.log.includes('back in the queue'))).toBe(true);
    for (const w of [victim, ...survivors]) expect(w.log).not.toContain('s3cret');

    // The survivors stop cleanly on SIGTERM.
    for (const w of survivors) expect(await w.stop()).toEqual({ code: 0, signal: null });
  });

  it('a worker stopped mid-batch finishes its checks in flight, gives the rest back and exits 0', async () => {
    let first: () => void = () => {};
    const firstRequest = new Promise<void>((resolve) => {
      first = resolve;
    });
    const { server, hits } = await slowServer(500, () => first());
    const sites = Array.from({ length: 6 }, (_, i) => site(`${server.url}/${i}`));
    const leaving = start(['-c', '2']);
    await leaving.ready;

    const sweep = runQueueSweep(sites, ctx, { redisUrl: redis.url, deadlineMs: 15_000, batchSize: 6 });
    await firstRequest;
    const stopped = await leaving.stop();
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(leaving.log).toMatch(/batch \S+: given back, 4 of 6 site\(s\) not started/);

    // Another worker takes the batch back and checks only what was not stored yet.
    await start(['-c', '4']).ready;
    const results = await sweep;
    expect(results.every((r) => r.ok === true)).toBe(true);
    expect(sites.map((s) => hits.get(new URL(s.url).pathname))).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
