import { hostname } from 'node:os';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import pLimit from 'p-limit';
import { DEFAULT_OPTIONS } from '../../core/site.js';
import { probe } from '../../probe/probe.js';
import { formatDuration } from '../../util/duration.js';
import { createRedactor } from '../../util/redact.js';
import { closeRedis, connectRedis, redactRedisUrl } from './connection.js';
import { BadBatchError, type BatchJob, decodeBatch, KEY_PREFIX, queueName, sweepKeys } from './protocol.js';
import { ResultWriter, storedIndexes } from './results.js';
import { ProbeSessions } from './sessions.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS } from './settings.js';

/** A batch taken back this often (it keeps killing its workers) fails; its sites end up unchecked. */
const MAX_STALLED_COUNT = 3;
/** The same connection error is logged at most this often while Redis is away. */
const ERROR_LOG_EVERY_MS = 10_000;

export interface QueueWorkerOptions {
  redisUrl: string;
  /** Checks in flight at once in this worker, across all the batches it holds. */
  concurrency: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Shown in logs and stored on the jobs it takes; default host:pid. */
  name?: string;
  /** The location this worker checks from: it takes that location's batches only; none: the plain queue. */
  location?: string;
  /** One line of text per call; never given site headers or results. */
  log: (line: string) => void;
}

/** The job's return value, kept by BullMQ only until the job is removed. */
export interface BatchOutcome {
  checked: number;
  /** Results another worker had already stored (this batch was taken over). */
  duplicates: number;
  skipped?: 'sweep closed';
}

export interface QueueWorker {
  readonly name: string;
  /** Stop taking batches, finish the checks in flight, give back the sites not started, disconnect. */
  close(): Promise<void>;
}

function throttled(log: (line: string) => void): (line: string) => void {
  const last = new Map<string, number>();
  return (line) => {
    const now = Date.now();
    if (now - (last.get(line) ?? 0) < ERROR_LOG_EVERY_MS) return;
    last.set(line, now);
    log(line);
  };
}

/** Connects (or throws RedisError at once), then takes batches until close(). */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const { log, concurrency } = opts;
  const shown = redactRedisUrl(opts.redisUrl);
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = opts.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const stalledInterval = opts.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS;
  const logError = throttled(log);
  const redis = await connectRedis(opts.redisUrl, {
    name: 'uptime-squirrel-worker',
    waitOutOutages: true,
    onError: (err) => logError(`redis ${shown}: ${err.message}`),
  });
  // Every check in this process, whatever batch it came in, shares this bound.
  const limit = pLimit(concurrency);
  const sessions = new ProbeSessions(concurrency);
  const writer = new ResultWriter(redis);
  let stopping = false;

  const processBatch = async (job: Job, token?: string): Promise<BatchOutcome> => {
    let batch: BatchJob;
    try {
      batch = decodeBatch(job.data);
    } catch (err) {
      if (err instanceof BadBatchError) throw new UnrecoverableError(`refused: ${err.message}`);
      throw err;
    }
    // Another location's batch checked from here would be a different vantage point: never.
    if (batch.location !== opts.location)
      throw new UnrecoverableError(`refused: a batch for ${batch.location ?? 'no location'}`);
    // Hold enough batches to keep `concurrency` checks busy, plus one ready to start: no more, so the
    // other workers get their share and a killed worker leaves little to take over.
    const wanted = Math.ceil(concurrency / Math.max(1, batch.items.length)) + 1;
    if (worker.concurrency !== wanted) worker.concurrency = wanted;

    const keys = sweepKeys(batch.sweep);
    const [open, stored] = await Promise.all([
      redis.exists(keys.meta),
      storedIndexes(
        redis,
        keys,
        batch.items.map((item) => item.index),
        batch.location,
      ),
    ]);
    // The coordinator finished or gave up (the deadline lives in Redis, so no clock of ours is trusted).
    if (open === 0) return { checked: 0, duplicates: 0, skipped: 'sweep closed' };

    // One HTTP client per sweep; the redactor per batch, from the secrets this batch carries.
    const probeCtx = {
      ...sessions.acquire(batch.sweep, batch.options),
      redact: createRedactor(batch.secrets),
    };
    let checked = 0;
    let duplicates = stored.size;
    let notStarted = 0;
    let closed = false;
    const count = (outcome: number) => {
      if (outcome === 1) checked++;
      else if (outcome === 0) duplicates++;
      else closed = true;
    };
    // Stores go on while the next checks run: a check's slot is not held for its result's write.
    const writes: Promise<void>[] = [];
    try {
      await Promise.all(
        batch.items
          .filter((item) => !stored.has(item.index))
          .map((item) =>
            limit(async () => {
              if (stopping || closed) {
                notStarted++;
                return;
              }
              const result = await probe({ ...DEFAULT_OPTIONS, ...item.site }, probeCtx);
              const write = writer.write(keys, item.index, result, batch.location).then(count);
              // Awaited below; this only keeps a failure from counting as unhandled meanwhile.
              write.catch(() => {});
              writes.push(write);
              // As in the async mode: read this turn's responses before opening new connections.
              await new Promise((resolve) => setImmediate(resolve));
            }),
          ),
      );
      await Promise.all(writes);
    } finally {
      sessions.release(batch.sweep);
    }
    if (closed) return { checked, duplicates, skipped: 'sweep closed' };
    if (notStarted > 0 && token !== undefined) {
      // Stopping: the sites not started go back at the head of the queue for another worker, which
      // skips the ones stored here.
      await job.moveToWait(token);
      log(`batch ${job.id}: given back, ${notStarted} of ${batch.items.length} site(s) not started`);
      throw new WaitingError();
    }
    return { checked, duplicates };
  };

  const worker = new Worker(queueName(opts.location), processBatch, {
    connection: redis,
    prefix: KEY_PREFIX,
    name,
    // Raised to fit the batch size as soon as the first batch is seen.
    concurrency: 1,
    lockDuration,
    stalledInterval,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', (err) => logError(`worker: ${err.message}`));
  worker.on('failed', (job, err) => {
    if (err instanceof WaitingError || err.name === 'WaitingError') return;
    log(`batch ${job?.id ?? '?'}: failed: ${err.message}`);
  });
  worker.on('stalled', (jobId) =>
    log(`batch ${jobId}: its worker stopped renewing the lock; back in the queue`),
  );
  await worker.waitUntilReady();
  const where = opts.location === undefined ? '' : ` for location ${opts.location}`;
  log(
    `worker ${name}: taking batches from ${shown}${where} (concurrency ${concurrency}, lock ${formatDuration(lockDuration)}, ` +
      `stalled check every ${formatDuration(stalledInterval)})`,
  );

  let closing: Promise<void> | null = null;
  return {
    name,
    close() {
      closing ??= (async () => {
        stopping = true;
        // Waits for the batches held: their checks in flight finish, the rest is given back.
        await worker.close();
        await sessions.closeAll();
        await closeRedis(redis);
      })();
      return closing;
    },
  };
}
