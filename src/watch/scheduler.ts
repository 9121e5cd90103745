/**
 * When sweeps run: at once, then on every tick of a cron expression (the cron package; 5 fields, or 6
 * with seconds first). Sweeps never overlap: a tick that comes while one runs is skipped and reported.
 */

import { CronJob, CronTime } from 'cron';
import type { SkippedTick } from '../core/events.js';

export const DEFAULT_SCHEDULE = '*/5 * * * *';

/** Given to each sweep; `skipped` counts the ticks skipped while it runs, up to now. */
export interface Tick {
  readonly skipped: number;
}

export type Task = (tick: Tick) => Promise<void>;

export interface Scheduler {
  /**
   * Runs `task` at once and then on every tick, never two at a time. Resolves when the scheduler will
   * run nothing more: after stop(), or when a finite scheduler is through. `task` must not reject.
   */
  run(task: Task): Promise<void>;
  /** No more ticks; resolves once the sweep in flight, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * The time between the next two ticks of a valid expression: the default queue-mode deadline, so a
 * sweep never waits for results past the start of the next one.
 */
export function scheduleIntervalMs(expression: string): number {
  const [a, b] = new CronTime(expression.trim()).sendAt(2);
  return a && b ? b.toMillis() - a.toMillis() : 300_000;
}

/** The part every scheduler shares: one task at a time, skipped ticks counted. */
class NoOverlap {
  private current: Promise<void> | null = null;
  private tick = { skipped: 0 };
  private startedAt = 0;

  constructor(
    private readonly task: Task,
    private readonly onSkip: (skip: SkippedTick) => void,
    private readonly clock: () => number,
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  fire(): Promise<void> {
    if (this.current !== null) {
      this.tick.skipped++;
      this.onSkip({ skipped: this.tick.skipped, runningForMs: this.clock() - this.startedAt });
      return this.current;
    }
    const tick = { skipped: 0 };
    this.tick = tick;
    this.startedAt = this.clock();
    const current = this.task(tick).finally(() => {
      this.current = null;
    });
    this.current = current;
    return current;
  }

  idle(): Promise<void> {
    return this.current ?? Promise.resolve();
  }
}

export interface CronSchedulerOptions {
  onSkip?: (skip: SkippedTick) => void;
  /** IANA time zone for the expression; the system's by default. */
  timeZone?: string;
}

export function cronScheduler(expression: string, opts: CronSchedulerOptions = {}): Scheduler {
  let job: CronJob | null = null;
  let runner: NoOverlap | null = null;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  let stopped = false;
  return {
    run(task) {
      if (stopped) return done;
      const noOverlap = new NoOverlap(task, opts.onSkip ?? (() => {}), Date.now);
      runner = noOverlap;
      job = CronJob.from({
        cronTime: expression.trim(),
        onTick: () => {
          void noOverlap.fire();
        },
        start: true,
        timeZone: opts.timeZone ?? null,
        // A tick delayed by a busy event loop (a big commit) should still run, not be dropped silently.
        threshold: 60_000,
      });
      void noOverlap.fire();
      return done;
    },
    async stop() {
      stopped = true;
      await job?.stop();
      await runner?.idle();
      finished();
    },
  };
}

/** `count` sweeps back to back, then done: for benchmarks and tests that need many sweeps fast. */
export function loopScheduler(count: number): Scheduler {
  let stopped = false;
  let runner: NoOverlap | null = null;
  return {
    async run(task) {
      const noOverlap = new NoOverlap(task, () => {}, Date.now);
      runner = noOverlap;
      for (let i = 0; i < count && !stopped; i++) await noOverlap.fire();
    },
    async stop() {
      stopped = true;
      await runner?.idle();
    },
  };
}
