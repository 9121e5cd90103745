/**
 * The scheduled uptime summary: a cron job whose tick queues the report of the last 24 h in the outbox,
 * one row per summary channel; the channels' delivery loops send it like any other message.
 */

import { CronJob } from 'cron';
import type { Logger } from '../core/logger.js';
import type { SummaryConfig } from '../core/site.js';
import type { UptimeReport } from '../store/uptime-report.js';
import type { Outbox } from './outbox.js';

const DAY_MS = 86_400_000;

export class SummarySchedule {
  private job: CronJob | null = null;

  constructor(
    private readonly config: SummaryConfig,
    private readonly logger: Logger,
    private readonly onTick: () => void,
  ) {}

  start(): void {
    this.job = CronJob.from({
      cronTime: this.config.schedule,
      onTick: () => {
        try {
          this.onTick();
        } catch (error) {
          // A failed summary (the database busy, say) must not stop the monitor; the next tick tries again.
          this.logger.error(`notify: the uptime summary could not be queued: ${(error as Error).message}`);
        }
      },
      start: true,
      timeZone: this.config.timeZone,
    });
  }

  stop(): void {
    void this.job?.stop();
    this.job = null;
  }
}

export interface SummaryTick {
  summary: SummaryConfig;
  /** The channels configured now: a summary channel removed from the config gets nothing. */
  configured: readonly string[];
  report: (since: number, until: number) => UptimeReport;
  now: number;
  expireAfterMs: number;
}

/** Queues the report of the last 24 h for the summary's channels; returns them. */
export function queueSummary(outbox: Outbox, tick: SummaryTick): string[] {
  const { summary, configured, now } = tick;
  const channels = (summary.channels ?? configured).filter((name) => configured.includes(name));
  // One summary per channel and minute, however often the tick fires.
  const ref = `summary:${new Date(Math.floor(now / 60_000) * 60_000).toISOString()}`;
  const payload = JSON.stringify(tick.report(now - DAY_MS, now));
  outbox.enqueue('summary', channels, ref, payload, now, tick.expireAfterMs);
  return channels;
}
