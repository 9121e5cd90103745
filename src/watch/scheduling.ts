/**
 * Which loop drives the daemon's checks. A config without any `"interval"` runs exactly as it always
 * has: one sweep of every site at once, then one per `--schedule` tick, never two at a time
 * (scheduler.ts). Once a site has an interval of its own, the batch loop (batches.ts) takes over, the
 * sites without one still following `--schedule`; a reload that adds the first interval switches over
 * after the sweep in flight.
 */

import type { Config } from '../config/types.js';
import type { SkippedTick } from '../core/events.js';
import { BatchLoop, hasIntervals } from './batches.js';
import { cronScheduler, type Scheduler, type Task } from './scheduler.js';
import type { SweepDeps } from './sweep.js';

export interface SchedulingOptions {
  /** `--schedule`: the cron of whole sweeps, and of the sites without an interval. */
  schedule: string;
  /** IANA time zone of the schedule; the system's by default. */
  timeZone?: string;
  /** Instead of the cron schedule (benchmarks, tests): whole sweeps, whatever the intervals say. */
  scheduler?: Scheduler;
  onSkip: (skip: SkippedTick) => void;
  config: () => Config;
  deps: SweepDeps;
  signal?: AbortSignal;
  /** One whole sweep, on the cron path; must not reject. */
  sweep: Task;
  /** After each batch's commit, on the batch path (retention). */
  afterBatch: () => void;
}

export class Scheduling {
  private stopped = false;
  private cron: Scheduler | null = null;
  private loop: BatchLoop | null = null;
  private switching = false;

  constructor(private readonly opts: SchedulingOptions) {}

  private batchesWanted(config: Config): boolean {
    return this.opts.scheduler === undefined && hasIntervals(config);
  }

  /** Until stop() (or a finite injected scheduler is through). @throws StoreError from the batch loop */
  async run(): Promise<void> {
    const { opts } = this;
    while (!this.stopped) {
      if (this.batchesWanted(opts.config())) {
        const loop = new BatchLoop({
          deps: opts.deps,
          config: opts.config,
          schedule: opts.schedule,
          timeZone: opts.timeZone,
          signal: opts.signal,
          afterCommit: opts.afterBatch,
        });
        this.loop = loop;
        return loop.run();
      }
      const cron =
        opts.scheduler ?? cronScheduler(opts.schedule, { onSkip: opts.onSkip, timeZone: opts.timeZone });
      this.cron = cron;
      this.switching = false;
      await cron.run(opts.sweep);
      await cron.stop();
      if (!this.switching) return;
    }
  }

  /** A new config: the batch loop re-plans; the cron path hands over to it when intervals appear. */
  reload(config: Config): void {
    if (this.loop !== null) this.loop.reload(config);
    else if (this.cron !== null && this.batchesWanted(config)) {
      this.switching = true;
      void this.cron.stop();
    }
  }

  /** No new sweep or check; run() resolves once those in flight are over. */
  stop(): void {
    this.stopped = true;
    void this.cron?.stop();
    this.loop?.stop();
  }
}
