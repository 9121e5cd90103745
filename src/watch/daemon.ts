/**
 * The watch daemon: config, database, lock, scheduler, notifications and signals around sweepAndCommit.
 *
 * Shutdown order, on SIGTERM/SIGINT (the abort signal): stop scheduling, abort the sweep in flight (its
 * finished checks are committed, the rest dropped), stop the notification loops (sends in flight are
 * abandoned; their outbox rows stay pending for the next start), release the lock, close the database,
 * return. With `once`, every channel with pending messages gets one attempt before that.
 * SIGHUP reloads the config for the next sweep; an invalid new config is logged and the old one kept.
 * When checks run (whole sweeps on the cron, or batches once sites have intervals): scheduling.ts.
 */

import type { EventEmitter } from 'node:events';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { EventsHook } from '../core/events.js';
import type { WatchLogger } from '../core/logger.js';
import type { CheckOptions } from '../core/site.js';
import { USER_AGENT, VERSION } from '../core/version.js';
import { DEFAULT_DELIVERY, type DeliveryOptions } from '../notify/options.js';
import { Notifications } from '../notify/service.js';
import type { ChannelDeps } from '../notify/types.js';
import { asStoreError } from '../store/errors.js';
import { History } from '../store/history.js';
import type { DaemonLock, LockOptions } from '../store/lock.js';
import { HEARTBEAT_INTERVAL_MS } from '../store/lock.js';
import { WatchStore } from '../store/store.js';
import { buildUptime } from '../store/uptime-report.js';
import { type ModeName, openStrategy, type Strategy, type SweepContext } from '../strategies/index.js';
import { hasIntervals } from './batches.js';
import { cycle } from './cycle.js';
import type { OfflineRule } from './evaluate.js';
import { CheckDurations } from './history-order.js';
import type { Scheduler } from './scheduler.js';
import { Scheduling } from './scheduling.js';
import type { CommittedView } from './sweep.js';

/** With per-site intervals, the least time between two heartbeats (batches commit every second). */
const BATCH_HEARTBEAT_EVERY_MS = 60_000;

/**
 * Told what the daemon does, for the status server beside it (serve/watch-status.ts); none by default.
 * Only `start` may throw (an address in use stops the start); the others log their own failures.
 */
export interface DaemonObserver {
  /** The config read, the database open and locked, before the first sweep. */
  start(config: Config): Promise<void>;
  /** After each sweep's commit. */
  sweep(view: CommittedView): void;
  reload(config: Config): void;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  configFile: string;
  env: NodeJS.ProcessEnv;
  /** Command-line check options (timeout, retries), over the config's defaults. */
  overrides?: Partial<CheckOptions>;
  dbFile: string;
  schedule: string;
  /** `--tz`: the zone of the schedule, the maintenance windows and the summary, over the config's `timezone`. */
  timeZone?: string;
  /** One cycle (sweep, state, events, hook, retention), then return. */
  once: boolean;
  mode: ModeName;
  concurrency: number;
  /** Worker threads or processes, in the pooled modes. */
  workers?: number;
  retentionMs: number;
  keepRawMs: number;
  logger: WatchLogger;
  /** Aborted on SIGTERM/SIGINT. */
  signal?: AbortSignal;
  /** Emits 'SIGHUP'. */
  signals?: EventEmitter;
  /** The status server (`watch --listen`). */
  observer?: DaemonObserver;
  /** Runs after each sweep's commit, after the notification outbox has taken the sweep's events. */
  onEvents?: EventsHook;
  /** Notifications: send timeout, retry backoff, expiry. */
  delivery?: DeliveryOptions;
  /** TLS trust for the notifiers' own connections (SMTP); tests pass their CA. */
  notify?: ChannelDeps;
  /** Instead of the cron schedule (benchmarks, tests). */
  scheduler?: Scheduler;
  /** Instead of the mode's strategy (tests). */
  strategy?: Strategy;
  /** Instead of the config's `offline` rule (tests); null turns it off. */
  offlineRule?: OfflineRule | null;
  clock?: () => number;
  lock?: LockOptions;
  /** Further sweep settings passed to the strategy as they are: a mode's own (queue: Redis URL, deadline), or a test's (lookup, CA, retry delay). */
  sweep?: Partial<Omit<SweepContext, 'signal' | 'onResult' | 'secrets' | 'concurrency' | 'userAgent'>>;
}

/** The config with `--tz` over its own `timezone`. */
function zoned(config: Config, timeZone: string | undefined): Config {
  return timeZone === undefined ? config : { ...config, timeZone };
}

/** ", 12 of them on intervals of their own" when some sites have one (watch/batches.ts). */
function ownPace(config: Config): string {
  const n = config.sites.filter((site) => site.interval !== undefined).length;
  return n === 0 ? '' : ` (${n} of them on intervals of their own)`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs until the signal aborts (or, with `once`, for one cycle).
 * @throws ConfigError / SquirrelError US_ERR_CONFIG_READ before anything starts; StoreError when the
 *   database cannot be used (at start or later); with `once`, whatever made the cycle fail
 */
export async function runDaemon(opts: DaemonOptions): Promise<void> {
  const { logger } = opts;
  // Listening from the start: without a listener, SIGHUP would terminate the process.
  let config: Config | null = null;
  let onReload: (next: Config) => void = () => {};
  const reload = () => {
    const previous = config;
    if (previous === null) return;
    loadConfig(opts.configFile, opts.env, opts.overrides).then(
      (next) => {
        config = zoned(next, opts.timeZone);
        onReload(next);
        logger.info(
          `config reloaded from ${opts.configFile}: ${next.sites.length} sites, from the next sweep on`,
          {
            sites: next.sites.length,
          },
        );
      },
      (error: unknown) => {
        logger.error(
          `config reload failed, still watching the previous ${previous.sites.length} sites: ${errorText(error)}`,
          { code: (error as { code?: unknown }).code },
        );
      },
    );
  };
  opts.signals?.on('SIGHUP', reload);
  try {
    config = zoned(await loadConfig(opts.configFile, opts.env, opts.overrides), opts.timeZone);
    await watchWith(
      opts,
      () => config as Config,
      (listener) => {
        onReload = listener;
      },
    );
  } finally {
    opts.signals?.off('SIGHUP', reload);
  }
}

/** The last 24 h (or any window) of uptime, from a read-only connection beside the daemon's. */
function uptimeReport(dbFile: string) {
  return (since: number, until: number) => {
    const history = History.open(dbFile);
    try {
      return buildUptime(history, since, until).report;
    } finally {
      history.close();
    }
  };
}

async function watchWith(
  opts: DaemonOptions,
  currentConfig: () => Config,
  onReload: (listener: (next: Config) => void) => void,
): Promise<void> {
  const clock = opts.clock ?? Date.now;
  const { logger, signal } = opts;
  const store = WatchStore.open(opts.dbFile, { onWarning: (message) => logger.warn(message) });
  let lock: DaemonLock;
  let notifications: Notifications;
  try {
    lock = store.lock({ clock, ...opts.lock });
  } catch (error) {
    store.close();
    throw error;
  }
  try {
    notifications = new Notifications({
      outbox: store.outbox,
      config: currentConfig(),
      logger,
      delivery: opts.delivery ?? DEFAULT_DELIVERY,
      clock,
      report: uptimeReport(opts.dbFile),
      channelDeps: opts.notify,
    });
    // Events a previous run committed but did not put in the outbox (it died in between) go in now.
    notifications.start({ loops: !opts.once });
  } catch (error) {
    lock.release();
    store.close();
    throw asStoreError(opts.dbFile, error);
  }
  let scheduling: Scheduling | null = null;
  onReload((next) => {
    scheduling?.reload(next);
    opts.observer?.reload(next);
    notifications.reconfigure(next).catch((error: unknown) => {
      logger.error(`notifications could not take the new config: ${errorText(error)}`);
    });
  });
  let lastBeat = Number.NEGATIVE_INFINITY;
  const onEvents: EventsHook = async (events, sweep) => {
    // Per-site intervals commit a batch up to once a second: a dead man's switch hears at most one
    // heartbeat a minute from them. Whole sweeps on --schedule send one each, as always.
    const now = clock();
    const heartbeat = !hasIntervals(currentConfig()) || now - lastBeat >= BATCH_HEARTBEAT_EVERY_MS;
    if (heartbeat) lastBeat = now;
    // A quick, synchronous transaction: the sweep never waits for a channel.
    notifications.afterSweep({ heartbeat });
    await opts.onEvents?.(events, sweep);
  };

  let fatal: unknown = null;
  let sweeps = 0;
  let stop: () => void = () => {};
  // One instance for every sweep: a pooled mode keeps its workers until the shutdown closes it (below).
  const strategy = opts.strategy ?? openStrategy(opts.mode);
  const deps = {
    store,
    logger,
    strategy,
    sweep: { concurrency: opts.concurrency, workers: opts.workers, userAgent: USER_AGENT, ...opts.sweep },
    offlineRule: opts.offlineRule,
    onEvents,
    // The status server failing to take a sweep never stops the monitor: the sweep is already saved.
    onCommitted: (view: CommittedView) => {
      sweeps++;
      try {
        opts.observer?.sweep(view);
      } catch (error) {
        logger.error(`the status server could not take the sweep: ${errorText(error)}`);
      }
    },
    clock,
    durations: new CheckDurations(),
  };
  const fail = (error: unknown) => {
    fatal ??= error;
    stop();
  };
  const { sweep: task, afterBatch } = cycle({
    deps,
    store,
    config: currentConfig,
    once: opts.once,
    retentionMs: opts.retentionMs,
    keepRawMs: opts.keepRawMs,
    signal,
    stopping: () => fatal !== null,
    fail,
  });

  const heartbeat = setInterval(() => {
    try {
      lock.heartbeat();
    } catch (error) {
      fail(asStoreError(opts.dbFile, error));
    }
  }, HEARTBEAT_INTERVAL_MS);

  const config = currentConfig();
  logger.info(
    `uptime-squirrel ${VERSION} watching ${config.sites.length} sites from ${opts.configFile}` +
      `${opts.once ? ' once' : ` on schedule "${opts.schedule}"${ownPace(config)}`}, database ${opts.dbFile}` +
      ` (mode ${opts.mode}, concurrency ${opts.concurrency})`,
    {
      version: VERSION,
      sites: config.sites.length,
      schedule: opts.once ? null : opts.schedule,
      db: opts.dbFile,
    },
  );
  try {
    await opts.observer?.start(config);
    if (opts.once) {
      await task({ skipped: 0 });
    } else {
      const current = new Scheduling({
        schedule: opts.schedule,
        timeZone: config.timeZone ?? undefined,
        scheduler: opts.scheduler,
        onSkip: (skip) => logger.skipped(skip),
        config: currentConfig,
        deps,
        signal,
        sweep: task,
        afterBatch,
      });
      scheduling = current;
      stop = () => current.stop();
      signal?.addEventListener('abort', stop, { once: true });
      if (signal?.aborted) stop();
      await current.run().catch(fail);
    }
    // --once: the cycle includes the notifications; one attempt per channel, each within its timeout.
    if (opts.once && fatal === null) await notifications.drain();
  } finally {
    signal?.removeEventListener('abort', stop);
    clearInterval(heartbeat);
    try {
      await notifications.stop();
    } catch (error) {
      logger.error(`notifications did not stop cleanly: ${errorText(error)}`);
    }
    try {
      await opts.observer?.stop();
    } catch (error) {
      logger.error(`the status server did not stop cleanly: ${errorText(error)}`);
    }
    try {
      await strategy.close?.();
    } catch (error) {
      logger.error(`the ${opts.mode} mode's workers did not stop cleanly: ${errorText(error)}`);
    }
    try {
      lock.release();
    } catch (error) {
      fatal ??= error;
    }
    store.close();
  }
  if (fatal !== null) {
    logger.error(`stopping: ${errorText(fatal)}`);
    throw fatal;
  }
  logger.info(`stopped after ${sweeps} sweep${sweeps === 1 ? '' : 's'}`, { sweeps });
}
