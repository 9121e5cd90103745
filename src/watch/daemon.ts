/**
 * The watch daemon: config, database, lock, scheduler and signals around sweepAndCommit.
 *
 * Shutdown order, on SIGTERM/SIGINT (the abort signal): stop scheduling, abort the sweep in flight (its
 * finished checks are committed, the rest dropped), release the lock, close the database, return.
 * SIGHUP reloads the config for the next sweep; an invalid new config is logged and the old one kept.
 */

import type { EventEmitter } from 'node:events';
import { loadConfig } from '../config/load.js';
import type { CheckOptions, Config } from '../config/types.js';
import type { DaemonLock, LockOptions } from '../store/lock.js';
import { HEARTBEAT_INTERVAL_MS } from '../store/lock.js';
import { WatchStore } from '../store/store.js';
import type { ModeName, SweepContext } from '../strategies/index.js';
import { USER_AGENT, VERSION } from '../version.js';
import { DEFAULT_OFFLINE_RULE, type OfflineRule } from './evaluate.js';
import type { EventsHook } from './events.js';
import type { WatchLogger } from './log.js';
import { cronScheduler, type Scheduler, type Tick } from './scheduler.js';
import { sweepAndCommit } from './sweep.js';

export const DEFAULT_DB = './uptime-squirrel.db';
export const DEFAULT_RETENTION_MS = 90 * 86_400_000;
export const DEFAULT_KEEP_RAW_MS = 2 * 86_400_000;

export interface DaemonOptions {
  configFile: string;
  env: NodeJS.ProcessEnv;
  /** Command-line check options (timeout, retries), over the config's defaults. */
  overrides?: Partial<CheckOptions>;
  dbFile: string;
  schedule: string;
  /** One cycle (sweep, state, events, hook, retention), then return. */
  once: boolean;
  mode: ModeName;
  concurrency: number;
  retentionMs: number;
  keepRawMs: number;
  logger: WatchLogger;
  /** Aborted on SIGTERM/SIGINT. */
  signal?: AbortSignal;
  /** Emits 'SIGHUP'. */
  signals?: EventEmitter;
  /** Runs after each sweep's commit (the notification outbox plugs in here). */
  onEvents?: EventsHook;
  /** Instead of the cron schedule (benchmarks, tests). */
  scheduler?: Scheduler;
  offlineRule?: OfflineRule;
  clock?: () => number;
  lock?: LockOptions;
  /** Extra sweep settings for tests: name lookup, CA, retry delay. */
  sweep?: Pick<SweepContext, 'lookup' | 'ca' | 'retryDelayMs'>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs until the signal aborts (or, with `once`, for one cycle).
 * @throws ConfigError / SquirrelError US_ERR_CONFIG_READ before anything starts; StoreError when the
 *   database cannot be used (at start or later); whatever a sweep throws that is not an outage
 */
export async function runDaemon(opts: DaemonOptions): Promise<void> {
  const clock = opts.clock ?? Date.now;
  const { logger, signal } = opts;
  let config: Config = await loadConfig(opts.configFile, opts.env, opts.overrides);
  const store = WatchStore.open(opts.dbFile);
  let lock: DaemonLock;
  try {
    lock = store.lock({ clock, ...opts.lock });
  } catch (error) {
    store.close();
    throw error;
  }

  let fatal: unknown = null;
  let sweeps = 0;
  let stop: () => void = () => {};
  const deps = {
    store,
    logger,
    mode: opts.mode,
    sweep: { concurrency: opts.concurrency, userAgent: USER_AGENT, ...opts.sweep },
    offlineRule: opts.offlineRule ?? DEFAULT_OFFLINE_RULE,
    onEvents: opts.onEvents ?? (() => {}),
    clock,
  };
  const fail = (error: unknown) => {
    fatal ??= error;
    stop();
  };
  const task = async (tick: Tick): Promise<void> => {
    if (fatal !== null || signal?.aborted) return;
    try {
      await sweepAndCommit(config, deps, tick, signal);
      sweeps++;
      // Retention after the sweep is saved and before the next: short transactions, an hour at a time.
      if (!signal?.aborted) {
        store.retain(clock(), { retentionMs: opts.retentionMs, keepRawMs: opts.keepRawMs });
      }
    } catch (error) {
      fail(error);
    }
  };

  const heartbeat = setInterval(() => {
    try {
      lock.heartbeat();
    } catch (error) {
      fail(error);
    }
  }, HEARTBEAT_INTERVAL_MS);
  const reload = () => {
    loadConfig(opts.configFile, opts.env, opts.overrides).then(
      (next) => {
        config = next;
        logger.info(
          `config reloaded from ${opts.configFile}: ${next.sites.length} sites, from the next sweep on`,
          {
            sites: next.sites.length,
          },
        );
      },
      (error: unknown) => {
        logger.error(
          `config reload failed, still watching the previous ${config.sites.length} sites: ${errorText(error)}`,
          { code: (error as { code?: unknown }).code },
        );
      },
    );
  };
  opts.signals?.on('SIGHUP', reload);

  logger.info(
    `uptime-squirrel ${VERSION} watching ${config.sites.length} sites from ${opts.configFile}` +
      `${opts.once ? ' once' : ` on schedule "${opts.schedule}"`}, database ${opts.dbFile}` +
      ` (mode ${opts.mode}, concurrency ${opts.concurrency})`,
    {
      version: VERSION,
      sites: config.sites.length,
      schedule: opts.once ? null : opts.schedule,
      db: opts.dbFile,
    },
  );
  try {
    if (opts.once) {
      await task({ skipped: 0 });
    } else {
      const scheduler =
        opts.scheduler ?? cronScheduler(opts.schedule, { onSkip: (skip) => logger.skipped(skip) });
      stop = () => void scheduler.stop();
      signal?.addEventListener('abort', stop, { once: true });
      if (signal?.aborted) stop();
      await scheduler.run(task);
      await scheduler.stop();
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    opts.signals?.off('SIGHUP', reload);
    clearInterval(heartbeat);
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
