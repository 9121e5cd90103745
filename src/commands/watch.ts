import { UsageError } from '../core/errors.js';
import type { EventsHook } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import type { LogFormat } from '../core/logger.js';
import { deliveryFrom } from '../notify/options.js';
import type { ChannelDeps } from '../notify/types.js';
import { watchStatus } from '../serve/watch-status.js';
import { configureMode, type ModeName, type ModeSettings } from '../strategies/index.js';
import { formatDuration } from '../util/duration.js';
import type { ListenAt } from '../util/listen.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import { runDaemon } from '../watch/daemon.js';
import { createLogger } from '../watch/log.js';
import { scheduleIntervalMs } from '../watch/scheduler.js';
import type { CommandAction } from './command.js';
import { checkOverrides } from './shared.js';

export interface WatchFlags {
  schedule: string;
  /** --tz: the zone of the schedule, windows and summary. */
  tz?: string;
  db: string;
  mode: ModeName;
  concurrency?: number;
  workers?: number;
  timeout?: number;
  retries?: number;
  /** DNS servers instead of the system's. */
  dnsServer?: string[];
  once?: boolean;
  retention: number;
  keepRaw: number;
  logFormat: LogFormat;
  sendTimeout?: number;
  retryFirst?: number;
  retryMax?: number;
  notifyExpire?: number;
  /** Serve the status page there (over the config's `server.listen`). */
  listen?: ListenAt;
}

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
  settings: ModeSettings = {},
): Promise<void> {
  if (flags.keepRaw > flags.retention) {
    throw new UsageError(
      `--keep-raw (${formatDuration(flags.keepRaw)}) cannot be longer than --retention (${formatDuration(flags.retention)}).`,
    );
  }
  if (flags.once && flags.listen !== undefined) {
    throw new UsageError('--listen serves the status page while watch runs: it has no use with --once.');
  }
  const delivery = deliveryFrom(flags);
  // The status server when --listen or the config's "server.listen" asks for it (decided at start).
  const status = flags.once
    ? null
    : watchStatus(
        {
          listen: flags.listen,
          dbFile: flags.db,
          intervalMs: scheduleIntervalMs(flags.schedule),
          outboxExpireMs: delivery.expireAfterMs,
        },
        createLogger(io.stderr, flags.logFormat),
      );
  await runDaemon({
    configFile: file,
    env: io.env,
    overrides: checkOverrides(flags),
    dbFile: flags.db,
    schedule: flags.schedule,
    timeZone: flags.tz,
    once: flags.once === true,
    mode: flags.mode,
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    workers: flags.workers,
    retentionMs: flags.retention,
    keepRawMs: flags.keepRaw,
    logger: status?.logger ?? createLogger(io.stderr, flags.logFormat),
    observer: status ?? undefined,
    signal: io.signal,
    signals: io.signals,
    onEvents: deps.onEvents,
    delivery,
    notify: deps.notify,
    // Sessions kept from one sweep resume the next one's handshakes (--once has no next one).
    sweep: { ...settings, dnsServers: flags.dnsServer, keepTlsSessions: flags.once !== true },
  });
}

/** Exit 0 once stopped by a signal, or after the one cycle of --once, whatever the sites' states. */
export const action: CommandAction<WatchFlags> = async ([file], flags, { io, given }) => {
  // A mode that bounds its sweeps in time (queue: results not in by the next tick are unchecked, no
  // state change, no alert) is bounded by the schedule.
  const setup = {
    command: 'watch' as const,
    flags: { ...flags },
    intervalMs: scheduleIntervalMs(flags.schedule),
  };
  await runWatch(file as string, flags, io, {}, configureMode(flags.mode, setup, { given }));
  return EXIT.ok;
};
