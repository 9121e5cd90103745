/**
 * The daemon's loop once sites have intervals of their own (`"interval"` in the config). Every whole
 * second it starts the checks due (plan.ts: each site on its own grid, the others on `--schedule`),
 * slowest last time first, and commits the checks finished since the last second as one sweep (one
 * transaction, then the log, the status server and the events hook, as a sweep always was).
 *
 * Checks of different seconds overlap: a slow check never holds back another site's. A site is never
 * started again before its previous check is committed, so its results, and the thresholds that count
 * them, follow each other in order. `--concurrency` is shared: each second's checks get what the checks
 * still in flight leave of it (at least one).
 */

import { setMaxListeners } from 'node:events';
import type { Config } from '../config/types.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { StoreError } from '../store/errors.js';
import { siteKey } from '../util/site-key.js';
import { everyInterval, IntervalPlan, onCron, type PlanEntry, SLOT_MS, siteOffset } from './plan.js';
import { commitBatch, runOrdered, type SweepDeps } from './sweep.js';

export interface BatchLoopOptions {
  deps: SweepDeps;
  /** The config of the moment (a reload replaces it). */
  config: () => Config;
  /** `--schedule`, for the sites without an interval. */
  schedule: string;
  timeZone?: string;
  signal?: AbortSignal;
  /** After each commit (retention); its StoreError is fatal like a commit's. */
  afterCommit?: () => void;
}

/** Whether the config needs this loop: some site has an interval of its own. */
export function hasIntervals(config: Pick<Config, 'sites'>): boolean {
  return config.sites.some((site) => site.interval !== undefined);
}

/** Each site's cadence: its own interval at its own offset, or the schedule. */
export function planEntries(sites: readonly Site[], schedule: string, timeZone?: string): PlanEntry[] {
  const cron = onCron(schedule, timeZone);
  return sites.map((site) => {
    const key = siteKey(site.url);
    const cadence =
      site.interval === undefined ? cron : everyInterval(site.interval, siteOffset(key, site.interval));
    return { key, cadence };
  });
}

interface Finished {
  key: string;
  site: Site;
  result: Result;
  startedAt: number;
  /** When the result came: a check over before its next slot keeps that slot, however late the commit. */
  finishedAt: number;
  missed: number;
}

const isAbort = (error: unknown) => (error as { code?: unknown })?.code === 'US_ERR_ABORTED';

export class BatchLoop {
  private readonly plan: IntervalPlan;
  private buffer: Finished[] = [];
  private readonly runs = new Set<Promise<void>>();
  /** Checks started and not finished, across the runs in flight. */
  private inFlight = 0;
  private stopped = false;
  private wakeUp: () => void = () => {};
  private bySite = new Map<string, Site>();
  /** The commits, one at a time, in order. */
  private committing: Promise<void> = Promise.resolve();
  /** The StoreError that stopped the loop. */
  private fatal: unknown = null;
  /** Follows the daemon's signal; one listener there, however many runs overlap here. */
  private readonly abort = new AbortController();

  constructor(private readonly opts: BatchLoopOptions) {
    setMaxListeners(0, this.abort.signal);
    const config = opts.config();
    this.index(config);
    this.plan = new IntervalPlan(planEntries(config.sites, opts.schedule, opts.timeZone), this.now());
  }

  private now(): number {
    return this.opts.deps.clock();
  }

  private index(config: Config): void {
    this.bySite = new Map(config.sites.map((site) => [siteKey(site.url), site]));
    this.opts.deps.durations?.keepOnly(config.sites.map((site) => site.url));
  }

  /** A reloaded config: kept sites keep their slots and checks in flight; added ones join. */
  reload(config: Config): void {
    this.index(config);
    this.plan.update(planEntries(config.sites, this.opts.schedule, this.opts.timeZone), this.now());
    this.wakeUp();
  }

  /** No new checks; run() then waits for those in flight (the signal aborts them) and commits them. */
  stop(): void {
    this.stopped = true;
    this.wakeUp();
  }

  /** Until stop(). @throws StoreError (fatal), after the runs in flight have ended */
  async run(): Promise<void> {
    const { signal } = this.opts;
    const forward = () => this.abort.abort(signal?.reason);
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    try {
      while (!this.stopped) {
        this.launch();
        this.commitFinished(false);
        if (!this.stopped) await this.sleep(this.wakeAt());
      }
    } finally {
      this.stopped = true;
      await Promise.allSettled([...this.runs]);
      signal?.removeEventListener('abort', forward);
      if (this.fatal === null) this.commitFinished(this.abort.signal.aborted);
      await this.committing;
    }
    if (this.fatal !== null) throw this.fatal;
  }

  /**
   * Hands the checks finished so far to the commits, one after the other; checks keep starting while
   * one commits (a connectivity check or a slow disk never makes them late). A StoreError stops the loop.
   */
  private commitFinished(aborted: boolean): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.committing = this.committing
      .then(() => (this.fatal === null ? this.flush(batch, aborted) : undefined))
      .catch((error: unknown) => {
        this.fatal ??= error;
        this.stop();
      });
  }

  /** The next slot due, or the next whole second while checks run or wait to be committed. */
  private wakeAt(): number | null {
    const due = this.plan.nextDue();
    if (this.runs.size === 0 && this.buffer.length === 0) return due;
    const second = (Math.floor(this.now() / SLOT_MS) + 1) * SLOT_MS;
    return due === null ? second : Math.min(due, second);
  }

  private sleep(until: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = () => {};
        resolve();
      };
      this.wakeUp = done;
      if (this.stopped) return done();
      // A day at most per timer (and far below setTimeout's 24.8-day limit): the plan is asked again.
      if (until !== null) timer = setTimeout(done, Math.min(86_400_000, Math.max(0, until - this.now())));
    });
  }

  /** Starts the checks due now as one run of the strategy. */
  private launch(): void {
    const startedAt = this.now();
    const due = this.plan.due(startedAt).flatMap((d) => {
      const site = this.bySite.get(d.key);
      // Due but no longer configured (a reload raced the plan): nothing to check.
      if (site === undefined) return [];
      return [{ ...d, site }];
    });
    if (due.length === 0) return;
    const { deps } = this.opts;
    const config = this.opts.config();
    const pending = new Set(due.map((d) => d.key));
    const concurrency = Math.max(1, deps.sweep.concurrency - this.inFlight);
    this.inFlight += due.length;
    const sites = due.map((d) => d.site);
    const run = runOrdered(
      sites,
      config,
      deps,
      this.abort.signal,
      (result, i) => {
        const d = due[i];
        if (d === undefined || !pending.delete(d.key)) return;
        this.inFlight--;
        this.buffer.push({
          key: d.key,
          site: d.site,
          result,
          startedAt,
          finishedAt: this.now(),
          missed: d.missed,
        });
      },
      { concurrency },
    )
      .catch((error: unknown) => {
        if (isAbort(error)) return;
        deps.logger.error(
          `${pending.size} of ${due.length} checks could not run, nothing recorded for them; they are tried again at their next slot: ${(error as Error).message}`,
          { code: (error as { code?: unknown }).code },
        );
      })
      .finally(() => {
        // Checks without a result (aborted, or the mode failed): over, with nothing to commit.
        this.inFlight -= pending.size;
        const at = this.now();
        for (const key of pending) this.plan.done(key, at);
        this.runs.delete(run);
      });
    this.runs.add(run);
  }

  /** Commits the finished checks as one sweep, then frees their sites for their next slot. */
  private async flush(batch: readonly Finished[], aborted: boolean): Promise<void> {
    const config = this.opts.config();
    let startedAt = Number.POSITIVE_INFINITY;
    let missed = 0;
    for (const f of batch) {
      startedAt = Math.min(startedAt, f.startedAt);
      missed += f.missed;
    }
    const record = {
      sites: batch.map((f) => f.site),
      results: batch.map((f) => f.result),
      startedAt,
      finishedAt: this.now(),
      aborted,
      skippedTicks: missed,
    };
    try {
      await commitBatch(config, this.opts.deps, record, this.abort.signal);
      this.opts.afterCommit?.();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      this.opts.deps.logger.error(
        `${batch.length} checks could not be recorded; they are tried again at their next slot: ${(error as Error).message}`,
        { code: (error as { code?: unknown }).code },
      );
    } finally {
      for (const f of batch) this.plan.done(f.key, f.finishedAt);
      // A commit that took past a site's next slot: it is due now, not at the loop's next wake.
      this.wakeUp();
    }
  }
}
