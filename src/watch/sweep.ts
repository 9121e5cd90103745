/**
 * One cycle of the daemon: sweep every site, decide the transitions, commit them in one transaction,
 * log, then hand the events to the hook. Checks cut short by a stop signal are not failures: they are
 * left out, and what did finish is still recorded.
 */

import type { Config } from '../config/types.js';
import type { EventsHook } from '../core/events.js';
import type { WatchLogger } from '../core/logger.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { CommittedSweep, SweepEntry, WatchStore } from '../store/store.js';
import type { Strategy, SweepContext } from '../strategies/index.js';
import { siteKey } from '../util/site-key.js';
import { evaluateSweep, type OfflineRule } from './evaluate.js';
import type { Tick } from './scheduler.js';

export interface SweepDeps {
  store: WatchStore;
  logger: WatchLogger;
  strategy: Strategy;
  /** Concurrency, user agent and, in tests, lookup/CA/retry delay; signal and secrets come per sweep. */
  sweep: Omit<SweepContext, 'signal' | 'onResult' | 'secrets'>;
  offlineRule: OfflineRule;
  onEvents: EventsHook;
  clock: () => number;
}

function isAbort(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'US_ERR_ABORTED';
}

/**
 * A finished (or aborted) sweep: results[i] is the result for sites[i]; undefined when the check did not
 * finish, and `ok: null` when the mode gave up on it (queue mode's deadline). Neither is recorded.
 */
export interface SweepRecord {
  sites: readonly Site[];
  results: readonly (Result | undefined)[];
  startedAt: number;
  finishedAt: number;
  aborted: boolean;
  skippedTicks: number;
}

/** Decides the transitions of a sweep from the stored states and commits everything in one transaction. */
export function recordSweep(
  store: WatchStore,
  record: SweepRecord,
  offlineRule: OfflineRule,
): CommittedSweep {
  const states = store.siteStates();
  const checked = record.sites.flatMap((site, index) => {
    const result = record.results[index];
    // Not checked (stopped by a signal, or no result by the queue's deadline): neither up nor down.
    if (result === undefined || result.ok === null) return [];
    return [{ site, result, ok: result.ok, key: siteKey(site.url) }];
  });
  const verdict = evaluateSweep(
    checked.map(({ site, result, ok, key }) => ({
      previous: states.get(key) ?? null,
      check: { ok, kind: result.kind, status: result.status, error: result.error },
      thresholds: site,
      at: Date.parse(result.checkedAt),
    })),
    store.monitorState(),
    offlineRule,
    record.finishedAt,
  );
  const entries: SweepEntry[] = checked.map(({ site, result, ok, key }, i) => ({
    key,
    url: result.url,
    name: site.name,
    result: {
      at: Date.parse(result.checkedAt),
      ok,
      status: result.status,
      kind: result.kind,
      totalMs: Math.round(result.timings.totalMs),
    },
    transition: verdict.transitions[i] ?? null,
  }));
  return store.commitSweep({
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    sites: record.sites.length,
    aborted: record.aborted,
    skippedTicks: record.skippedTicks,
    offline: verdict.offline,
    entries,
    monitor: verdict.monitor,
    monitorEvent: verdict.monitorEvent,
  });
}

/** Runs one sweep of `config` and persists it. @throws StoreError (fatal); never for outages or aborts */
export async function sweepAndCommit(
  config: Config,
  deps: SweepDeps,
  tick: Tick,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { store, logger, clock } = deps;
  const sites = config.sites;
  const results = new Array<Result | undefined>(sites.length);
  const startedAt = clock();
  let aborted = false;
  try {
    await deps.strategy.run(sites, {
      ...deps.sweep,
      secrets: config.secrets,
      signal,
      onResult: (result, index) => {
        results[index] = result;
      },
    });
  } catch (error) {
    if (!isAbort(error)) throw error;
    aborted = true;
  }
  const finishedAt = clock();
  const { sweep, events } = recordSweep(
    store,
    { sites, results, startedAt, finishedAt, aborted, skippedTicks: tick.skipped },
    deps.offlineRule,
  );
  logger.sweep(sweep);
  for (const event of events) logger.event(event);
  try {
    await deps.onEvents(events, sweep);
  } catch (error) {
    // A failing hook (the notifier) never stops the monitor; its events are already stored.
    logger.error(`the events hook failed: ${(error as Error).message}`, {
      code: (error as { code?: unknown }).code,
    });
  }
}
