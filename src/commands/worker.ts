import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { startQueueWorker } from '../strategies/queue/worker.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import type { CommandAction } from './command.js';

export interface WorkerFlags {
  redis?: string;
  concurrency?: number;
  lockDuration: number;
  stalledInterval: number;
  name?: string;
  location?: string;
}

/** Runs until io.signal aborts (SIGINT/SIGTERM from the bin), then stops cleanly. */
export async function runWorker(flags: WorkerFlags, io: CliIO): Promise<void> {
  if (flags.redis === undefined) {
    throw new UsageError(
      'worker needs --redis URL (or UPTIME_SQUIRREL_REDIS_URL): the Redis server to take batches from.',
    );
  }
  if (flags.lockDuration < 2 * flags.stalledInterval) {
    throw new UsageError(
      '--lock-duration must be at least twice --stalled-interval, or live batches are taken for dead.',
    );
  }
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const worker = await startQueueWorker({
    redisUrl: flags.redis,
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    lockDurationMs: flags.lockDuration,
    stalledIntervalMs: flags.stalledInterval,
    name: flags.name,
    location: flags.location,
    log,
  });
  await new Promise<void>((resolve) => {
    if (io.signal === undefined) return;
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log(`worker ${worker.name}: stopping: finishing the checks in flight, giving back the rest`);
  await worker.close();
  log(`worker ${worker.name}: stopped`);
}

/** Exit 0 once stopped by SIGINT/SIGTERM and the checks in flight are done. */
export const action: CommandAction<WorkerFlags> = async (_args, flags, { io }) => {
  await runWorker(flags, io);
  return EXIT.ok;
};
