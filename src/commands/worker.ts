import { InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS } from '../strategies/queue/settings.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { options } from '../util/options.js';
import { DEFAULT_CONCURRENCY } from './check.js';
import type { RegisterCommand } from './command.js';

export interface WorkerFlags {
  redis?: string;
  concurrency?: number;
  lockDuration: number;
  stalledInterval: number;
  name?: string;
}

function durationArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      throw new InvalidArgumentError(
        `${name} must be a duration from ${formatDuration(min)} to ${formatDuration(max)}, such as 15s.`,
      );
    }
    return ms;
  };
}

/** The worker's own options; the stall settings are there for tests and unusual networks. */
const workerOptions = {
  lockDuration: () =>
    new Option(
      '--lock-duration <duration>',
      "how long a batch stays locked to this worker without a renewal (renewed at half of it); a killed worker's batch is taken over after at most this plus twice --stalled-interval",
    )
      .argParser(durationArg('--lock-duration', 500, 600_000))
      .default(DEFAULT_LOCK_DURATION_MS, formatDuration(DEFAULT_LOCK_DURATION_MS)),
  stalledInterval: () =>
    new Option('--stalled-interval <duration>', 'how often this worker looks for batches whose worker died')
      .argParser(durationArg('--stalled-interval', 200, 600_000))
      .default(DEFAULT_STALLED_INTERVAL_MS, formatDuration(DEFAULT_STALLED_INTERVAL_MS)),
  name: () =>
    new Option('--name <name>', "this worker's name in logs and on the jobs it takes (default host:pid)"),
};

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
  // Loaded on use, as in the queue strategy: the other commands start without BullMQ.
  const { startQueueWorker } = await import('../strategies/queue/worker.js');
  const worker = await startQueueWorker({
    redisUrl: flags.redis,
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    lockDurationMs: flags.lockDuration,
    stalledIntervalMs: flags.stalledInterval,
    name: flags.name,
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

export const registerWorker: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('worker')
    .description(
      'take batches of checks from a Redis queue and store their results (for --mode queue); start as many as you like, on any machine. Exits 0 after SIGINT/SIGTERM, 3 when Redis is unreachable',
    )
    .addOption(options.redis('the Redis server the coordinators (check/watch --mode queue) use'))
    .addOption(
      options.concurrency(`checks in flight at once in this worker (default ${DEFAULT_CONCURRENCY})`),
    )
    .addOption(workerOptions.lockDuration())
    .addOption(workerOptions.stalledInterval())
    .addOption(workerOptions.name())
    .action(async (flags: WorkerFlags) => {
      await runWorker(flags, io);
      setExitCode(EXIT.ok);
    });
};
