/** The scheduled uptime summary: a cron job that queues a summary message for its channels. */

import { CronJob } from 'cron';
import type { SummaryConfig } from '../core/site.js';
import type { NotifyLogger } from './service.js';

export class SummarySchedule {
  private job: CronJob | null = null;

  constructor(
    private readonly config: SummaryConfig,
    private readonly logger: NotifyLogger,
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
