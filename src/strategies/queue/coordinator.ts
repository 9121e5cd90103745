import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AbortedError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { Site } from '../../core/site.js';
import { mapBounded } from '../../util/bounded.js';
import { createRedactor, redactUrl } from '../../util/redact.js';
import type { SweepContext } from '../types.js';
import { batchJobs } from './batches.js';
import { closeRedis, connectRedis, redactRedisUrl } from './connection.js';
import { NoWorkerError, RedisError } from './errors.js';
import { finish, reportDecided } from './finish.js';
import { type LanePlan, planLanes } from './lanes.js';
import { waitForWorkers, workersGone } from './presence.js';
import {
  type BatchJob,
  type BatchOptions,
  decodeResult,
  jobId,
  KEY_PREFIX,
  newSweepId,
  PROTOCOL_VERSION,
  parseField,
  queueName,
  type SweepMeta,
  sweepKeys,
} from './protocol.js';
import { sleep, unlessAborted } from './waits.js';

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
  /** Check every site once from each of these locations (one queue each); undefined: the plain queue. */
  locations?: string[];
  /** With locations: how many must see a site down; default a majority. */
  quorum?: number;
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

/** One queue of a sweep as it runs: the plain one, or one location's. */
interface Lane extends LanePlan {
  queue: Queue<BatchJob>;
  /** Workers connected as the sweep started; null when Redis does not say. */
  workers: number | null;
  gone: (() => Promise<boolean>) | null;
  /** Every worker of this lane left (or none came): its checks still missing are not waited for. */
  left: boolean;
  /** Checks of this lane without a result yet. */
  outstanding: number;
  ids: string[];
}

function openQueue(redis: Redis, location: string | undefined): Queue<BatchJob> {
  const queue = new Queue<BatchJob>(queueName(location), {
    connection: redis,
    prefix: KEY_PREFIX,
    // BullMQ's event stream is not used here; keep it short (it holds job ids and batch outcomes only).
    streams: { events: { maxLen: 1000 } },
  });
  queue.on('error', () => {});
  return queue;
}

/**
 * One sweep through the queue: enqueue the sites in batches, collect results as workers store them,
 * and at the deadline report the sites still missing as unchecked. `onResult` is called for checked
 * sites only: an unchecked site is in the returned array, never reported as a check (so `watch` leaves
 * it out instead of alerting). With locations, every site goes to each of its locations' queues and
 * its result is the quorum's verdict (quorum.ts), reported once every location answered or gave up.
 * Rejects with RedisError when Redis is unreachable or lost.
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
  const plan = planLanes(sites, opts.locations, opts.quorum);
  const redis = await connectRedis(opts.redisUrl, { name: 'uptime-squirrel-coordinator' });
  // Blocking pops on a connection of their own, so they never hold up the queue's commands.
  const reader = redis.duplicate();
  reader.on('error', () => {});
  const lanes: Lane[] = plan.lanes.map((lane) => ({
    ...lane,
    queue: openQueue(redis, lane.location),
    workers: null,
    gone: null,
    left: false,
    outstanding: lane.indexes.length,
    ids: [],
  }));
  const byLocation = new Map(lanes.map((lane) => [lane.location, lane]));
  const single = plan.siteLocations === null;
  const sweep = newSweepId(startedAt);
  const keys = sweepKeys(sweep);
  const redact = createRedactor(ctx.secrets);
  const got = new Map<string, Result>();
  let remaining = lanes.reduce((n, lane) => n + lane.outstanding, 0);

  const fail = (err: unknown): never => {
    if (err instanceof RedisError || err instanceof AbortedError) throw err;
    throw new RedisError('US_ERR_REDIS_LOST', shown, (err as Error).message, { cause: err });
  };
  const leave = (lane: Lane) => {
    lane.left = true;
    remaining -= lane.outstanding;
  };

  try {
    await reader.connect().catch(fail);
    const batchSize = opts.batchSize ?? batchSizeFor(sites.length);
    const waitFor = opts.waitForWorkersMs;
    if (waitFor === undefined) {
      for (const lane of lanes) lane.workers = await lane.queue.getWorkersCount().catch(() => null);
    } else {
      // Before anything is queued: with nobody to take it, the sweep says so now, and leaves nothing behind.
      const waitMs = Math.min(waitFor, opts.deadlineMs);
      await Promise.all(
        lanes.map(async (lane) => {
          // A location none of the sites is checked from (all narrowed away) is not waited for.
          if (!single && lane.indexes.length === 0) return;
          lane.workers = await waitForWorkers(lane.queue, waitMs, ctx.signal);
        }),
      );
      const needed = lanes.filter((lane) => single || lane.indexes.length > 0);
      if (needed.every((lane) => lane.workers === 0)) throw new NoWorkerError(shown, waitMs, opts.locations);
      for (const lane of lanes) {
        lane.gone = workersGone(lane.queue, waitFor);
        // A location nobody serves is not waited for: its checks are unchecked from there at once.
        if (!single && lane.workers === 0) leave(lane);
      }
    }
    const meta: SweepMeta = {
      v: PROTOCOL_VERSION,
      sweep,
      sites: sites.length,
      batches: lanes.reduce((n, lane) => n + Math.ceil(lane.indexes.length / batchSize), 0),
      startedAt: new Date(startedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
      coordinator: `${hostname()}:${process.pid}`,
    };
    // The meta key first: a worker that takes the first batch at once must find the sweep open.
    await redis.set(keys.meta, JSON.stringify(meta), 'PX', opts.deadlineMs + KEY_GRACE_MS).catch(fail);

    const options: BatchOptions = {
      userAgent: ctx.userAgent,
      retryDelayMs: ctx.retryDelayMs,
      ca: ctx.ca,
    };
    for (const lane of lanes) {
      if (lane.left) continue;
      const jobs = batchJobs(sites, lane, { sweep, deadline, options, batchSize, secrets: ctx.secrets });
      for (let first = 0; first < jobs.length; first += ADD_CHUNK) {
        const chunk = jobs.slice(first, first + ADD_CHUNK).map((data) => {
          const id = jobId(sweep, data.batch, lane.location);
          lane.ids.push(id);
          return { name: 'check', data, opts: { ...JOB_OPTIONS, jobId: id } };
        });
        if (ctx.signal?.aborted) throw new AbortedError();
        await lane.queue.addBulk(chunk).catch(fail);
      }
    }

    let lastOk = Date.now();
    while (remaining > 0) {
      if (ctx.signal?.aborted) throw new AbortedError();
      const toGo = deadline - Date.now();
      if (toGo <= 0) break;
      let fields: string[];
      let values: Array<string | null>;
      try {
        for (const lane of lanes) {
          if (lane.left || lane.outstanding === 0 || lane.gone === null) continue;
          if (await unlessAborted(lane.gone(), ctx.signal)) leave(lane);
        }
        if (remaining <= 0) break;
        const wait = Math.max(0.01, Math.min(POLL_SECONDS, toGo / 1000));
        const first = await unlessAborted(reader.blpop(keys.arrived, wait), ctx.signal);
        lastOk = Date.now();
        if (first === null) continue;
        const more = (await unlessAborted(reader.lpop(keys.arrived, POP_COUNT), ctx.signal)) ?? [];
        fields = [first[1], ...more];
        values = await unlessAborted(reader.hmget(keys.results, ...fields), ctx.signal);
      } catch (err) {
        if (err instanceof AbortedError) throw err;
        if (Date.now() - lastOk > (opts.redisLostMs ?? REDIS_LOST_MS)) fail(err);
        await sleep(250);
        continue;
      }
      for (const [k, field] of fields.entries()) {
        const at = parseField(field);
        const lane = at === null ? undefined : byLocation.get(at.location);
        const site = at === null ? undefined : sites[at.index];
        const json = values[k];
        if (at === null || lane === undefined || lane.left || site === undefined) continue;
        if (json == null || got.has(field)) continue;
        if (!single && !plan.siteLocations?.[at.index]?.includes(at.location as string)) continue;
        const result = decodeResult(json);
        // A result must be for this site: anything else is not trusted, and the site stays missing.
        if (result === null || result.url !== redact(redactUrl(site.url))) continue;
        if (result.error !== null) result.error = redact(result.error);
        got.set(field, result);
        lane.outstanding--;
        remaining--;
        if (single) ctx.onResult?.(result, at.index);
      }
    }
    return finish(sites, lanes, plan, got, {
      ...opts,
      redact,
      onResult: single ? undefined : ctx.onResult,
      onLocations: ctx.onLocations,
    });
  } catch (err) {
    if (err instanceof AbortedError && !single)
      reportDecided(sites, plan, got, { redact, onResult: ctx.onResult });
    throw err;
  } finally {
    await cleanUp(redis, reader, lanes, keys);
  }
}

/** Closes the sweep (late results are dropped), removes its jobs not yet taken, and disconnects. */
async function cleanUp(
  redis: Redis,
  reader: Redis,
  lanes: ReadonlyArray<{ queue: Queue; ids: string[] }>,
  keys: ReturnType<typeof sweepKeys>,
): Promise<void> {
  const work = (async () => {
    // Redis gone: nothing to clean, and the keys expire on their own (KEY_GRACE_MS after the deadline).
    if (redis.status !== 'ready') return;
    await redis.del(keys.meta, keys.results, keys.arrived);
    // Done jobs are gone already; a job being checked right now stays (BullMQ will not remove a locked
    // job) and its worker stops at its next result, finding the sweep closed.
    const jobs = lanes.flatMap(({ queue, ids }) => ids.map((id) => ({ queue, id })));
    await mapBounded(jobs, 16, ({ queue, id }) => queue.remove(id).catch(() => 0));
  })().catch(() => {});
  await Promise.race([work, sleep(CLEANUP_MS)]);
  await Promise.race([
    Promise.all(lanes.map(({ queue }) => queue.close().catch(() => {}))),
    sleep(CLEANUP_MS),
  ]);
  await Promise.all([closeRedis(reader), closeRedis(redis)]);
}
