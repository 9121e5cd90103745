import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import type { EventsHook } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { LOG_FORMATS, type LogFormat } from '../core/logger.js';
import { deliveryFrom, deliveryOptions } from '../notify/options.js';
import type { ChannelDeps } from '../notify/types.js';
import type { ModeName } from '../strategies/index.js';
import { checkSchedule } from '../util/cron.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { options } from '../util/options.js';
import { DEFAULT_DB, DEFAULT_KEEP_RAW_MS, DEFAULT_RETENTION_MS, runDaemon } from '../watch/daemon.js';
import { createLogger } from '../watch/log.js';
import { DEFAULT_SCHEDULE, scheduleIntervalMs } from '../watch/scheduler.js';
import { DEFAULT_CONCURRENCY, modeOption, requireQueueMode } from './check.js';
import type { RegisterCommand } from './command.js';
import { checkOverrides } from './shared.js';

export interface WatchFlags {
  schedule: string;
  db: string;
  mode: ModeName;
  concurrency?: number;
  workers?: number;
  timeout?: number;
  retries?: number;
  once?: boolean;
  retention: number;
  keepRaw: number;
  logFormat: LogFormat;
  sendTimeout?: number;
  retryFirst?: number;
  retryMax?: number;
  notifyExpire?: number;
  redis?: string;
  deadline?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function durationArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      throw new InvalidArgumentError(
        `${name} must be a duration from ${formatDuration(min)} to ${max / DAY}d, such as 90d, 30d or 12h.`,
      );
    }
    return ms;
  };
}

/** The watch and report options, declared once (help text and docs/WATCH.md follow these). */
export const watchOptions = {
  db: (what = 'the SQLite database of state and history (created when missing)') =>
    new Option('--db <file>', what).default(DEFAULT_DB),
  schedule: () =>
    new Option(
      '-s, --schedule <cron>',
      'when to sweep: a cron expression, 5 fields or 6 with seconds first ("*/30 * * * * *"); the first sweep starts at once',
    )
      .default(DEFAULT_SCHEDULE)
      .argParser((value: string) => {
        const problem = checkSchedule(value);
        if (problem !== null) throw new InvalidArgumentError(`--schedule: ${problem}.`);
        return value.trim();
      }),
  once: () =>
    new Option(
      '--once',
      "one cycle (sweep, state, events) then exit: 0 when the cycle completed whatever the sites' states (for system cron)",
    ),
  retention: () =>
    new Option('--retention <duration>', 'history kept: older results, incidents and events are deleted')
      .default(DEFAULT_RETENTION_MS, '90d')
      .argParser(durationArg('--retention', HOUR, 3650 * DAY)),
  keepRaw: () =>
    new Option(
      '--keep-raw <duration>',
      'results kept one by one; older ones are rolled up into hourly figures (at most --retention)',
    )
      .default(DEFAULT_KEEP_RAW_MS, '2d')
      .argParser(durationArg('--keep-raw', HOUR, 3650 * DAY)),
  logFormat: () =>
    new Option('--log-format <format>', 'log lines on stderr: text, or one JSON object per line')
      .choices(LOG_FORMATS)
      .default('text'),
};

export interface WatchDeps {
  /** Runs after each sweep, after the notification outbox has taken its events; a no-op by default. */
  onEvents?: EventsHook;
  /** TLS trust for the notifiers' own connections (SMTP), for tests. */
  notify?: ChannelDeps;
}

export async function runWatch(
  file: string,
  flags: WatchFlags,
  io: CliIO,
  deps: WatchDeps = {},
): Promise<void> {
  if (flags.keepRaw > flags.retention) {
    throw new UsageError(
      `--keep-raw (${formatDuration(flags.keepRaw)}) cannot be longer than --retention (${formatDuration(flags.retention)}).`,
    );
  }
  await runDaemon({
    configFile: file,
    env: io.env,
    overrides: checkOverrides(flags),
    dbFile: flags.db,
    schedule: flags.schedule,
    once: flags.once === true,
    mode: flags.mode,
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    workers: flags.workers,
    retentionMs: flags.retention,
    keepRawMs: flags.keepRaw,
    logger: createLogger(io.stderr, flags.logFormat),
    signal: io.signal,
    signals: io.signals,
    onEvents: deps.onEvents,
    delivery: deliveryFrom(flags),
    notify: deps.notify,
    // Queue mode: results not in by the next tick are unchecked (no state change, no alert).
    sweep:
      flags.mode === 'queue'
        ? { redisUrl: flags.redis, deadlineMs: flags.deadline ?? scheduleIntervalMs(flags.schedule) }
        : undefined,
  });
}

export const registerWatch: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('watch')
    .description(
      'check every site on a schedule, keep state and history in SQLite and raise down/up events; ' +
        'exit 0 on SIGTERM/SIGINT, 2 on a usage or config error, 3 when the database cannot be used',
    )
    .argument('<sites.json>', 'site list: a JSON array of URLs or an object with "sites" (SIGHUP reloads it)')
    .addOption(watchOptions.schedule())
    .addOption(watchOptions.db())
    .addOption(modeOption())
    .addOption(options.concurrency())
    .addOption(options.workers())
    .addOption(options.timeout())
    .addOption(options.retries())
    .addOption(watchOptions.once())
    .addOption(watchOptions.retention())
    .addOption(watchOptions.keepRaw())
    .addOption(watchOptions.logFormat())
    .addOption(deliveryOptions.sendTimeout())
    .addOption(deliveryOptions.retryFirst())
    .addOption(deliveryOptions.retryMax())
    .addOption(deliveryOptions.expire())
    .addOption(options.redis())
    .addOption(options.deadline('the schedule interval'))
    .action(async (file: string, flags: WatchFlags, command: Command) => {
      requireQueueMode(flags.mode, command);
      await runWatch(file, flags, io);
      setExitCode(EXIT.ok);
    });
};
