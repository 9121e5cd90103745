import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AbortedError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { Site } from '../../core/site.js';
import { mapBounded } from '../../util/bounded.js';
import { formatDuration } from '../../util/duration.js';
import { createRedactor, redactUrl } from '../../util/redact.js';
import { longestTimeout } from '../context.js';
import type { SweepContext } from '../types.js';
import { uncheckedResult } from '../unchecked.js';
import { closeRedis, connectRedis, redactRedisUrl } from './connection.js';
import { NoWorkerError, RedisError } from './errors.js';
import { waitForWorkers, workersGone } from './presence.js';
import {
  type BatchJob,
  type BatchOptions,
  decodeResult,
  jobId,
  KEY_PREFIX,
  newSweepId,
  PROTOCOL_VERSION,
  QUEUE_NAME,
  type SweepMeta,
  secretsIn,
  siteSpec,
  sweepKeys,
} from './protocol.js';

export interface QueueSweepOptions {
  redisUrl: string;
  /** Sites without a result this long after the sweep started are reported unchecked. */
  deadlineMs: number;
  /** Sites per job; default batchSizeFor(sites). */
  batchSize?: number;
  /** Give up (US_ERR_REDIS_LOST) after Redis has failed every command this long; default REDIS_LOST_MS. */
  redisLostMs?: number;
  /**
   * With no worker connected, wait this long for one (within the deadline), then fail with
   * US_ERR_QUEUE_NO_WORKER; mid-sweep, end the sweep once none has been connected this long. Undefined:
   * workers are not looked for (a caller that plays the worker's part itself).
   */
  waitForWorkersMs?: number;
}

/**
 * At least this many batches per sweep, so up to 64 workers share even a small sweep; at most 50 sites
 * per batch, so a killed worker's batch is a small part of the sweep to check again, and a job stays a
 * few kilobytes in Redis. 20,000 sites make 400 jobs.
 */
const MIN_BATCHES = 64;
const MAX_BATCH = 50;
/** The sweep's keys outlive its deadline by this much when its coordinator dies before deleting them. */
const KEY_GRACE_MS = 60_000;
/** A sweep whose Redis stays unusable this long fails (US_ERR_REDIS_LOST) instead of waiting it out. */
const REDIS_LOST_MS = 10_000;
/** Jobs per MULTI: one call for 10,000 jobs would be one ~100 MB transaction. */
const ADD_CHUNK = 200;
/** Results taken per LPOP once one has arrived. */
const POP_COUNT = 1000;
/** Longest blocking wait for results: the bound on noticing an abort or the deadline. */
const POLL_SECONDS = 0.25;
/** Cleaning up must not hang a finished sweep on a Redis that just went away. */
const CLEANUP_MS = 3000;

/** Jobs leave Redis as soon as they are done: their data holds the sites' headers (docs/QUEUE.md). */
const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: true,
  // A batch whose worker threw (Redis hiccup while storing results) is tried again, not lost.
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
} as const;

export function batchSizeFor(sites: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(sites / MIN_BATCHES)));
}

/** Unref'd: a bound on cleaning up must not itself keep the process alive. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * `work`, or AbortedError as soon as `signal` aborts: a Redis that stopped answering (but kept the
 * connection) must not keep a Ctrl-C waiting.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(new AbortedError());
  let onAbort = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * One sweep through the queue: enqueue the sites in batches, collect results as workers store them,
 * and at the deadline report the sites still missing as unchecked. `onResult` is called for checked
 * sites only: an unchecked site is in the returned array, never reported as a check (so `watch` leaves
 * it out instead of alerting). Rejects with RedisError when Redis is unreachable or lost.
 */
export async function runQueueSweep(
  sites: readonly Site[],
  ctx: SweepContext,
  opts: QueueSweepOptions,
): Promise<Result[]> {
  if (ctx.signal?.aborted) throw new AbortedError();
  const startedAt = Date.now();
  const deadline = startedAt + opts.deadlineMs;
  const shown = redactRedisUrl(opts.redisUrl);
  const redis = await connectRedis(opts.redisUrl, { name: 'uptime-squirrel-coordinator' });
  // Blocking pops on a connection of their own, so they never hold up the queue's commands.
  const reader = redis.duplicate();
  reader.on('error', () => {});
  const queue = new Queue<BatchJob>(QUEUE_NAME, {
    connection: redis,
    prefix: KEY_PREFIX,
    // BullMQ's event stream is not used here; keep it short (it holds job ids and batch outcomes only).
    streams: { events: { maxLen: 1000 } },
  });
  queue.on('error', () => {});
  const sweep = newSweepId(startedAt);
  const keys = sweepKeys(sweep);
  const ids: string[] = [];
  const redact = createRedactor(ctx.secrets);
  const results = new Array<Result | undefined>(sites.length);
  let remaining = sites.length;

  const fail = (err: unknown): never => {
    if (err instanceof RedisError || err instanceof AbortedError) throw err;
    throw new RedisError('US_ERR_REDIS_LOST', shown, (err as Error).message, { cause: err });
  };

  try {
    await reader.connect().catch(fail);
    const batchSize = opts.batchSize ?? batchSizeFor(sites.length);
    const batches = Math.ceil(sites.length / batchSize);
    let workers: number | null;
    if (opts.waitForWorkersMs === undefined) workers = await queue.getWorkersCount().catch(() => null);
    else {
      // Before anything is queued: with nobody to take it, the sweep says so now, and leaves nothing behind.
      const waitMs = Math.min(opts.waitForWorkersMs, opts.deadlineMs);
      workers = await waitForWorkers(queue, waitMs, ctx.signal);
      if (workers === 0) throw new NoWorkerError(shown, waitMs);
    }
    const gone = opts.waitForWorkersMs === undefined ? null : workersGone(queue, opts.waitForWorkersMs);
    let left: 'deadline' | 'workers gone' = 'deadline';
    const meta: SweepMeta = {
      v: PROTOCOL_VERSION,
      sweep,
      sites: sites.length,
      batches,
      startedAt: new Date(startedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
      coordinator: `${hostname()}:${process.pid}`,
    };
    // The meta key first: a worker that takes the first batch at once must find the sweep open.
    await redis.set(keys.meta, JSON.stringify(meta), 'PX', opts.deadlineMs + KEY_GRACE_MS).catch(fail);

    const options: BatchOptions = {
      userAgent: ctx.userAgent,
      connectTimeoutMs: ctx.connectTimeoutMs ?? longestTimeout(sites),
      retryDelayMs: ctx.retryDelayMs,
      ca: ctx.ca,
    };
    for (let first = 0; first < sites.length; first += batchSize * ADD_CHUNK) {
      const chunk: Array<{ name: string; data: BatchJob; opts: typeof JOB_OPTIONS & { jobId: string } }> = [];
      for (
        let start = first;
        start < Math.min(sites.length, first + batchSize * ADD_CHUNK);
        start += batchSize
      ) {
        const batch = start / batchSize;
        const items = sites
          .slice(start, start + batchSize)
          .map((site, k) => ({ index: start + k, site: siteSpec(site) }));
        const secrets = secretsIn(
          items.map((item) => item.site),
          ctx.secrets,
        );
        const id = jobId(sweep, batch);
        ids.push(id);
        chunk.push({
          name: 'check',
          data: { v: PROTOCOL_VERSION, sweep, batch, deadline, options, secrets, items },
          opts: { ...JOB_OPTIONS, jobId: id },
        });
      }
      if (ctx.signal?.aborted) throw new AbortedError();
      await queue.addBulk(chunk).catch(fail);
    }

    let lastOk = Date.now();
    while (remaining > 0) {
      if (ctx.signal?.aborted) throw new AbortedError();
      const toGo = deadline - Date.now();
      if (toGo <= 0) break;
      let indexes: string[];
      let values: Array<string | null>;
      try {
        if (gone !== null && (await unlessAborted(gone(), ctx.signal))) {
          left = 'workers gone';
          break;
        }
        const wait = Math.max(0.01, Math.min(POLL_SECONDS, toGo / 1000));
        const first = await unlessAborted(reader.blpop(keys.arrived, wait), ctx.signal);
        lastOk = Date.now();
        if (first === null) continue;
        const more = (await unlessAborted(reader.lpop(keys.arrived, POP_COUNT), ctx.signal)) ?? [];
        indexes = [first[1], ...more];
        values = await unlessAborted(reader.hmget(keys.results, ...indexes), ctx.signal);
      } catch (err) {
        if (err instanceof AbortedError) throw err;
        if (Date.now() - lastOk > (opts.redisLostMs ?? REDIS_LOST_MS)) fail(err);
        await sleep(250);
        continue;
      }
      for (const [k, text] of indexes.entries()) {
        const index = Number(text);
        const site = sites[index];
        const json = values[k];
        if (site === undefined || results[index] !== undefined || json == null) continue;
        const result = decodeResult(json);
        // A result must be for this site: anything else is not trusted, and the site stays missing.
        if (result === null || result.url !== redact(redactUrl(site.url))) continue;
        if (result.error !== null) result.error = redact(result.error);
        results[index] = result;
        remaining--;
        ctx.onResult?.(result, index);
      }
    }

    const reason =
      left === 'workers gone'
        ? `no worker connected to the queue for ${formatDuration(opts.waitForWorkersMs ?? 0)}: every worker left mid-sweep`
        : `no result within the deadline (${formatDuration(opts.deadlineMs)})` +
          (workers === 0 ? '; no worker was connected to the queue when the sweep started' : '');
    const now = new Date();
    return sites.map((site, i) => results[i] ?? uncheckedResult(site, reason, redact, now));
  } finally {
    await cleanUp(redis, reader, queue, keys, ids);
  }
}

/** Closes the sweep (late results are dropped), removes its jobs not yet taken, and disconnects. */
async function cleanUp(
  redis: Redis,
  reader: Redis,
  queue: Queue,
  keys: ReturnType<typeof sweepKeys>,
  ids: string[],
): Promise<void> {
  const work = (async () => {
    // Redis gone: nothing to clean, and the keys expire on their own (KEY_GRACE_MS after the deadline).
    if (redis.status !== 'ready') return;
    await redis.del(keys.meta, keys.results, keys.arrived);
    // Done jobs are gone already; a job being checked right now stays (BullMQ will not remove a locked
    // job) and its worker stops at its next result, finding the sweep closed.
    await mapBounded(ids, 16, (id) => queue.remove(id).catch(() => 0));
  })().catch(() => {});
  await Promise.race([work, sleep(CLEANUP_MS)]);
  await Promise.race([queue.close().catch(() => {}), sleep(CLEANUP_MS)]);
  await Promise.all([closeRedis(reader), closeRedis(redis)]);
}
