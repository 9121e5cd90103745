import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { runQueueSweep } from '../../src/strategies/queue/coordinator.js';
import { RedisError } from '../../src/strategies/queue/errors.js';
import { type BatchJob, KEY_PREFIX, QUEUE_NAME, sweepKeys } from '../../src/strategies/queue/protocol.js';
import { recordResult } from '../../src/strategies/queue/results.js';
import type { SweepContext } from '../../src/strategies/types.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { fakeResult } from '../helpers/results.js';

// The coordinator in this process against a real redis-server; the test plays the worker's part.

let redis: TestRedis;
const clients: Array<Redis | Queue> = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => (c instanceof Queue ? c.close() : c.quit())));
  await redis.command('FLUSHALL');
});

const site = (path: string): Site => ({ ...DEFAULT_OPTIONS, url: `http://127.0.0.1:9/${path}`, name: null });
const ctx: SweepContext = { concurrency: 4, userAgent: 'uptime-squirrel/test', secrets: [] };

function result(url: string, ok: boolean, error: string | null): Result {
  return fakeResult(url, ok, { error, checkedAt: new Date().toISOString() });
}

async function connect(): Promise<Redis> {
  const client = new Redis(redis.url);
  clients.push(client);
  return client;
}

/** The jobs waiting in the queue, as a worker would receive them. */
async function waitingBatches(expected: number): Promise<BatchJob[]> {
  const queue = new Queue<BatchJob>(QUEUE_NAME, { connection: await connect(), prefix: KEY_PREFIX });
  clients.push(queue);
  let jobs: BatchJob[] = [];
  const until = Date.now() + 5000;
  while (jobs.length < expected && Date.now() < until) {
    jobs = (await queue.getWaiting()).map((job) => job.data);
    if (jobs.length < expected) await new Promise((r) => setTimeout(r, 20));
  }
  return jobs;
}

describe('the queue coordinator', () => {
  it('keeps the first result per site and ignores duplicates, then closes the sweep', async () => {
    const sites = [site('a'), site('b'), { ...site('c'), headers: { authorization: 'Bearer h3ader' } }];
    // The config's secrets: a header's, and a notification channel's that no worker needs.
    const secrets = ['Bearer h3ader', 'smtp-passw0rd'];
    const sweep = runQueueSweep(
      sites,
      { ...ctx, secrets },
      {
        redisUrl: redis.url,
        deadlineMs: 10_000,
        batchSize: 2,
      },
    );
    const batches = await waitingBatches(2);
    expect(batches.map((b) => b.items.map((i) => i.index))).toEqual([[0, 1], [2]]);
    // Plain JSON a person can read: the job's data field is the batch as written.
    expect(batches[0]?.items[0]?.site.url).toBe('http://127.0.0.1:9/a');
    // A batch carries only the secrets already in its own sites, never the channels' ones.
    expect(batches.map((b) => b.secrets)).toEqual([[], ['Bearer h3ader']]);
    expect(JSON.stringify(batches)).not.toContain('smtp-passw0rd');

    const writer = await connect();
    const outcomes: number[] = [];
    for (const batch of batches) {
      const keys = sweepKeys(batch.sweep);
      for (const { index, site: s } of batch.items) {
        outcomes.push(await recordResult(writer, keys, index, result(s.url, true, null)));
        // A second worker's result for the same site, as after a takeover: ignored.
        outcomes.push(await recordResult(writer, keys, index, result(s.url, false, 'the duplicate')));
      }
    }
    expect(outcomes).toEqual([1, 0, 1, 0, 1, 0]);

    const results = await sweep;
    expect(results.map((r) => [r.url, r.ok, r.error])).toEqual(sites.map((s) => [s.url, true, null]));
    // Closed: a late result is refused, and nothing of the sweep is left in Redis.
    const keys = sweepKeys(batches[0]?.sweep ?? '');
    expect(await recordResult(writer, keys, 0, result(sites[0]?.url ?? '', true, null))).toBe(-1);
    expect(await writer.keys(`${KEY_PREFIX}:sweep:*`)).toEqual([]);
    expect(await writer.keys(`${KEY_PREFIX}:${QUEUE_NAME}:${batches[0]?.sweep}*`)).toEqual([]);
  });

  it('reports the sites without a result by the deadline as unchecked, never up', async () => {
    const sites = [site('a'), site('b')];
    const arrived: number[] = [];
    const sweep = runQueueSweep(
      sites,
      { ...ctx, onResult: (_r, i) => arrived.push(i) },
      { redisUrl: redis.url, deadlineMs: 1500, batchSize: 1 },
    );
    const [first] = await waitingBatches(2);
    const item = first?.items[0];
    if (!first || !item) throw new Error('no batch was enqueued');
    expect(
      await recordResult(
        await connect(),
        sweepKeys(first.sweep),
        item.index,
        result(item.site.url, true, null),
      ),
    ).toBe(1);

    const started = Date.now();
    const results = await sweep;
    expect(Date.now() - started).toBeLessThan(2500);
    expect(results[0]).toMatchObject({ ok: true, kind: 'ok' });
    expect(results[1]).toMatchObject({ url: sites[1]?.url, ok: null, kind: 'unchecked', status: null });
    expect(results[1]?.error).toMatch(/no result within the deadline \(1\.5s\); no worker was connected/);
    // Only checked sites are reported as they arrive: an unchecked one is not a check (no alert in watch).
    expect(arrived).toEqual([0]);
  });

  it('ignores a stored result that is not for its site', async () => {
    const sites = [site('a')];
    const sweep = runQueueSweep(sites, ctx, { redisUrl: redis.url, deadlineMs: 1000 });
    const [batch] = await waitingBatches(1);
    if (!batch) throw new Error('no batch was enqueued');
    await recordResult(
      await connect(),
      sweepKeys(batch.sweep),
      0,
      result('http://elsewhere.example/', true, null),
    );
    const [only] = await sweep;
    expect(only).toMatchObject({ ok: null, kind: 'unchecked' });
  });

  it('fails fast with a typed error naming the redacted URL when Redis is unreachable', async () => {
    const url = `redis://squirrel:hunter2@127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const error = await runQueueSweep([site('a')], ctx, { redisUrl: url, deadlineMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(4000);
    expect(error).toBeInstanceOf(RedisError);
    expect(error).toMatchObject({ code: 'US_ERR_REDIS_UNREACHABLE' });
    const message = (error as Error).message;
    expect(message).toContain('cannot reach Redis at redis://***@127.0.0.1:');
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
  });

  it('gives up on a Redis lost mid-sweep after its bound, with US_ERR_REDIS_LOST', async () => {
    const doomed = await startRedis();
    const sweep = runQueueSweep([site('a')], ctx, {
      redisUrl: doomed.url,
      deadlineMs: 60_000,
      redisLostMs: 500,
    });
    // The sweep is under way once its meta key is written; then Redis goes.
    let keys = '';
    const until = Date.now() + 5000;
    while (!keys.includes(`${KEY_PREFIX}:sweep:`) && Date.now() < until)
      keys = await doomed.command('KEYS', '*');
    expect(keys).toContain(`${KEY_PREFIX}:sweep:`);
    await doomed.stop();
    const started = Date.now();
    await expect(sweep).rejects.toMatchObject({ code: 'US_ERR_REDIS_LOST' });
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('names refused credentials as such', async () => {
    const client = await connect();
    await client.call('ACL', 'SETUSER', 'squirrel', 'on', '>right', '~*', '&*', '+@all');
    const url = redis.url.replace('redis://', 'redis://squirrel:wrong@');
    const error = await runQueueSweep([site('a')], ctx, { redisUrl: url, deadlineMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'US_ERR_REDIS_AUTH' });
    expect((error as Error).message).toMatch(
      /^Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+ refused the credentials/,
    );
    await client.call('ACL', 'DELUSER', 'squirrel');
  });

  it('rejects with US_ERR_ABORTED when the sweep is aborted, and cleans up', async () => {
    const controller = new AbortController();
    const sweep = runQueueSweep(
      [site('a')],
      { ...ctx, signal: controller.signal },
      {
        redisUrl: redis.url,
        deadlineMs: 60_000,
      },
    );
    await waitingBatches(1);
    controller.abort();
    await expect(sweep).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
    const client = await connect();
    expect(await client.keys(`${KEY_PREFIX}:sweep:*`)).toEqual([]);
    expect(await client.llen(`${KEY_PREFIX}:${QUEUE_NAME}:wait`)).toBe(0);
  });
});
