/**
 * One cycle of the daemon: sweep every site, decide the transitions, commit them in one transaction,
 * log, then hand the events to the hook. Checks cut short by a stop signal are not failures: they are
 * left out, and what did finish is still recorded.
 */

import type { Config } from '../config/types.js';
import type { Result } from '../probe/types.js';
import type { SweepEntry, WatchStore } from '../store/store.js';
import { type ModeName, STRATEGIES, type SweepContext } from '../strategies/index.js';
import { evaluateSweep, type OfflineRule } from './evaluate.js';
import type { EventsHook } from './events.js';
import type { WatchLogger } from './log.js';
import type { Tick } from './scheduler.js';
import { siteKey } from './site-key.js';

export interface SweepDeps {
  store: WatchStore;
  logger: WatchLogger;
  mode: ModeName;
  /** Concurrency, user agent and, in tests, lookup/CA/retry delay; signal and secrets come per sweep. */
  sweep: Omit<SweepContext, 'signal' | 'onResult' | 'secrets'>;
  offlineRule: OfflineRule;
  onEvents: EventsHook;
  clock: () => number;
}

function isAbort(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'US_ERR_ABORTED';
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
    await STRATEGIES[deps.mode].run(sites, {
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

  const states = store.siteStates();
  const checked = sites.flatMap((site, index) => {
    const result = results[index];
    return result === undefined ? [] : [{ site, result, key: siteKey(site.url) }];
  });
  const verdict = evaluateSweep(
    checked.map(({ site, result, key }) => ({
      previous: states.get(key) ?? null,
      check: result,
      thresholds: site,
      at: Date.parse(result.checkedAt),
    })),
    store.monitorState(),
    deps.offlineRule,
    finishedAt,
  );
  const entries: SweepEntry[] = checked.map(({ site, result, key }, i) => ({
    key,
    url: result.url,
    name: site.name,
    result: {
      at: Date.parse(result.checkedAt),
      ok: result.ok,
      status: result.status,
      kind: result.kind,
      totalMs: Math.round(result.timings.totalMs),
    },
    transition: verdict.transitions[i] ?? null,
  }));
  const { sweep, events } = store.commitSweep({
    startedAt,
    finishedAt,
    sites: sites.length,
    aborted,
    skippedTicks: tick.skipped,
    offline: verdict.offline,
    entries,
    monitor: verdict.monitor,
    monitorEvent: verdict.monitorEvent,
  });
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
