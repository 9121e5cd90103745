/**
 * What the daemon does around each commit: a whole sweep on the cron path (the sweep, then retention),
 * retention after the batch loop's commits, and which failures stop the daemon. The database failing is
 * fatal (writing on could lose or repeat events); a mode that failed to sweep (a worker pool, a queue)
 * is logged and tried again at the next tick, except with --once, which reports it.
 */

import type { Config } from '../config/types.js';
import { StoreError } from '../store/errors.js';
import type { WatchStore } from '../store/store.js';
import type { Task } from './scheduler.js';
import { type SweepDeps, sweepAndCommit } from './sweep.js';

export interface CycleOptions {
  deps: SweepDeps;
  store: WatchStore;
  config: () => Config;
  once: boolean;
  retentionMs: number;
  keepRawMs: number;
  signal?: AbortSignal;
  /** Whether a fatal error has been seen: no further sweep starts. */
  stopping: () => boolean;
  /** Stops the daemon with this error. */
  fail: (error: unknown) => void;
}

/** The batch loop commits every second; retention (hourly rollups, deletions) needs no more than this. */
const BATCH_RETENTION_EVERY_MS = 60_000;

export function cycle(opts: CycleOptions): { sweep: Task; afterBatch: () => void } {
  const { deps, store, signal } = opts;
  const retain = () => {
    // Short transactions, an hour at a time, between sweeps (never inside one).
    if (!signal?.aborted)
      store.retain(deps.clock(), { retentionMs: opts.retentionMs, keepRawMs: opts.keepRawMs });
  };
  let retainedAt = Number.NEGATIVE_INFINITY;
  return {
    sweep: async (tick) => {
      if (opts.stopping() || signal?.aborted) return;
      try {
        await sweepAndCommit(opts.config(), deps, tick, signal);
        retain();
      } catch (error) {
        if (opts.once || error instanceof StoreError) return opts.fail(error);
        deps.logger.error(
          `sweep failed, nothing recorded; trying again at the next tick: ${error instanceof Error ? error.message : String(error)}`,
          { code: (error as { code?: unknown }).code },
        );
      }
    },
    afterBatch: () => {
      if (deps.clock() - retainedAt < BATCH_RETENTION_EVERY_MS) return;
      retainedAt = deps.clock();
      retain();
    },
  };
}
