/**
 * One cycle of the daemon: sweep every site, decide the transitions, commit them in one transaction,
 * log, then hand the events to the hook. Checks cut short by a stop signal are not failures: they are
 * left out, and what did finish is still recorded.
 */

import type { Config } from '../config/types.js';
import type { EventsHook, SweepSummary } from '../core/events.js';
import { type LocationsSummary, missingLocationLines } from '../core/locations.js';
import type { WatchLogger } from '../core/logger.js';
import { gotNoResponse, type Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { Check } from '../core/state.js';
import type { CommittedSweep, SweepEntry, WatchStore } from '../store/store.js';
import type { Strategy, SweepContext } from '../strategies/index.js';
import { locationSettings } from '../strategies/queue/options.js';
import { siteKey } from '../util/site-key.js';
import { checkConnectivity } from './connectivity.js';
import { type CoverOf, coverFor } from './cover.js';
import { evaluateSweep, looksOffline, type OfflineRule, type SiteCheck, tallyOffline } from './evaluate.js';
import type { CheckDurations } from './history-order.js';
import { locationRows } from './location-rows.js';
import type { Tick } from './scheduler.js';

export interface SweepDeps {
  store: WatchStore;
  logger: WatchLogger;
  strategy: Strategy;
  /** Concurrency, user agent and, in tests, lookup/CA/retry delay; signal and secrets come per sweep. */
  sweep: Omit<SweepContext, 'signal' | 'onResult' | 'secrets'>;
  /** Instead of the config's `offline` rule (tests); null turns the rule off. */
  offlineRule?: OfflineRule | null;
  onEvents: EventsHook;
  /** After the commit, with every site's result (the status server's page and metrics); must not throw. */
  onCommitted?: (view: CommittedView) => void;
  clock: () => number;
  /** How long each site took last time, to start the slowest first; config order without it. */
  durations?: CheckDurations;
}

/** A committed sweep as an observer sees it: results[i] is sites[i]'s, undefined when it did not finish. */
export interface CommittedView {
  sweep: SweepSummary;
  sites: readonly Site[];
  results: readonly (Result | undefined)[];
  /** Queue mode with locations: the sweep's locations and those that gave no result. */
  locations?: LocationsSummary;
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
  /** Queue mode with locations: the sweep's locations and those that gave no result (logged, shown). */
  locations?: LocationsSummary;
}

/** The sweep's finished checks, each with its site and store key. */
function finishedChecks(record: Pick<SweepRecord, 'sites' | 'results'>) {
  return record.sites.flatMap((site, index) => {
    const result = record.results[index];
    // Not checked (stopped by a signal, or no result by the queue's deadline): neither up nor down.
    if (result === undefined || result.ok === null) return [];
    const check: Check = { ok: result.ok, kind: result.kind, status: result.status, error: result.error };
    // Only what the site has: a check without maxResponseMs or https is the check it always was.
    if (result.degraded)
      check.slow = result.assertions?.find((a) => !a.passed)?.message ?? 'slower than maxResponseMs';
    if (result.tls) check.tls = result.tls;
    return [{ site, result, check, noResponse: gotNoResponse(result), key: siteKey(site.url) }];
  });
}

/** Whether the sites alone make the sweep look like the monitor is offline (before any target is asked). */
export function sweepLooksOffline(
  record: Pick<SweepRecord, 'sites' | 'results'>,
  rule: OfflineRule | null,
): boolean {
  return looksOffline(tallyOffline(finishedChecks(record)), rule);
}

/**
 * Decides the transitions of a sweep from the stored states and commits everything in one transaction.
 * `targetsAnswered`: the connectivity check's outcome, null when it was not made.
 */
export function recordSweep(
  store: WatchStore,
  record: SweepRecord,
  offlineRule: OfflineRule | null,
  targetsAnswered: boolean | null = null,
  cover?: CoverOf,
): CommittedSweep {
  // Maintenance windows and silences (watch/quiet.ts): each check's cover, at its own time.
  const checked = finishedChecks(record).map((c) => ({
    ...c,
    cover: cover?.(c.site, Date.parse(c.result.checkedAt)),
  }));
  const states = store.siteStates(checked.map((c) => c.key));
  const verdict = evaluateSweep(
    checked.map(
      ({ site, result, check, noResponse, key, cover }): SiteCheck => ({
        previous: states.get(key) ?? null,
        check,
        noResponse,
        thresholds: site,
        at: Date.parse(result.checkedAt),
        ...(cover === undefined ? {} : { cover }),
      }),
    ),
    store.monitorState(),
    offlineRule,
    record.finishedAt,
    targetsAnswered,
  );
  const entries: SweepEntry[] = checked.map(({ site, result, check, key, cover }, i) => ({
    key,
    maintenance: cover !== undefined && cover.window !== null,
    url: result.url,
    name: site.name,
    result: {
      at: Date.parse(result.checkedAt),
      ok: check.ok,
      status: result.status,
      kind: result.kind,
      totalMs: Math.round(result.timings.totalMs),
    },
    transition: verdict.transitions[i] ?? null,
    ...(result.locations === undefined ? {} : { locations: locationRows(result) }),
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

/**
 * After a sweep that looks offline, the connectivity targets (when configured) have the last word.
 * null when they were not asked; a stop signal meanwhile also gives null, so the sites' verdict stands.
 */
async function askTargets(
  config: Config,
  deps: SweepDeps,
  signal: AbortSignal | undefined,
  sweep: Pick<SweepRecord, 'sites' | 'results'> & { rule: OfflineRule | null },
): Promise<boolean | null> {
  const targets = config.connectivity?.targets ?? [];
  if (targets.length === 0 || !sweepLooksOffline(sweep, sweep.rule)) return null;
  try {
    const outcome = await checkConnectivity(targets, { ...deps.sweep, secrets: config.secrets, signal });
    if (outcome.answered) {
      deps.logger.info(
        `most sites failed without a response, but a connectivity target answered, so the monitor is online and the failures are the sites' own (${outcome.summary})`,
      );
    } else {
      deps.logger.warn(`no connectivity target answered either: ${outcome.summary}`);
    }
    return outcome.answered;
  } catch (error) {
    if (!isAbort(error)) throw error;
    return null;
  }
}

/**
 * Commits a finished batch of checks as one sweep: the connectivity targets when it looks offline, the
 * transitions in one transaction, the log, the observer and the events hook. Returns when the hook has
 * run. @throws StoreError (fatal); never for outages or aborts
 */
export async function commitBatch(
  config: Config,
  deps: SweepDeps,
  record: SweepRecord,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { store, logger } = deps;
  const rule = deps.offlineRule !== undefined ? deps.offlineRule : config.offline;
  const targetsAnswered = record.aborted ? null : await askTargets(config, deps, signal, { ...record, rule });
  const finishedAt = Math.max(record.finishedAt, deps.clock());
  const { sites, results, locations } = record;
  const cover = coverFor(config, store.silences(record.startedAt), config.timeZone);
  const { sweep, events } = recordSweep(store, { ...record, finishedAt }, rule, targetsAnswered, cover);
  logger.sweep(sweep);
  for (const line of missingLocationLines(locations)) logger.warn(line);
  for (const event of events) logger.event(event);
  deps.onCommitted?.({ sweep, sites, results, ...(locations === undefined ? {} : { locations }) });
  try {
    await deps.onEvents(events, sweep);
  } catch (error) {
    // A failing hook (the notifier) never stops the monitor; its events are already stored.
    logger.error(`the events hook failed: ${(error as Error).message}`, {
      code: (error as { code?: unknown }).code,
    });
  }
}

/**
 * Runs `sites` through the strategy, slowest last time first (history-order.ts), and gives each result
 * at its position in `sites`. @throws the strategy's errors, abort included (what finished is given)
 */
export async function runOrdered(
  sites: readonly Site[],
  config: Config,
  deps: Pick<SweepDeps, 'strategy' | 'sweep' | 'durations'>,
  signal: AbortSignal | undefined,
  onResult: (result: Result, index: number) => void,
  opts: { concurrency?: number; onLocations?: (summary: LocationsSummary) => void } = {},
): Promise<void> {
  const order = deps.durations?.order(sites) ?? sites.map((_site, i) => i);
  const ordered = order.map((i) => sites[i] as Site);
  await deps.strategy.run(ordered, {
    ...deps.sweep,
    ...locationSettings(config, deps.sweep),
    concurrency: opts.concurrency ?? deps.sweep.concurrency,
    secrets: config.secrets,
    signal,
    onResult: (result, j) => {
      const site = ordered[j] as Site;
      deps.durations?.record(site.url, result);
      onResult(result, order[j] as number);
    },
    onLocations: opts.onLocations,
  });
}

/** Runs one sweep of `config` and persists it. @throws StoreError (fatal); never for outages or aborts */
export async function sweepAndCommit(
  config: Config,
  deps: SweepDeps,
  tick: Tick,
  signal: AbortSignal | undefined,
): Promise<void> {
  const sites = config.sites;
  const results = new Array<Result | undefined>(sites.length);
  const startedAt = deps.clock();
  let aborted = false;
  let locations: LocationsSummary | undefined;
  try {
    await runOrdered(
      sites,
      config,
      deps,
      signal,
      (result, index) => {
        results[index] = result;
      },
      {
        onLocations: (summary) => {
          locations = summary;
        },
      },
    );
  } catch (error) {
    if (!isAbort(error)) throw error;
    aborted = true;
  }
  const record: SweepRecord = {
    sites,
    results,
    startedAt,
    finishedAt: deps.clock(),
    aborted,
    skippedTicks: tick.skipped,
    ...(locations === undefined ? {} : { locations }),
  };
  await commitBatch(config, deps, record, signal);
}
