/**
 * The daemon's log, tapped for the metrics: skipped ticks, and the outcome of every notification send,
 * from the structured fields the delivery loop logs with (`msg`, `channel`, `transient`: the same facts
 * the JSON log format gives a log shipper). The notification code stays unaware of metrics.
 */

import type { WatchLogger } from '../../core/logger.js';
import type { NotificationOutcome } from './state.js';

export interface LogTapTarget {
  skippedTick(): void;
  notification(channel: string, outcome: NotificationOutcome, count: number): void;
}

function outcomeOf(fields: Record<string, unknown> | undefined): NotificationOutcome | null {
  switch (fields?.msg) {
    case 'notification delivered':
      return 'sent';
    case 'notification failed':
      return fields.transient === true ? 'retry' : 'failed';
    case 'notification dropped':
      return 'expired';
    default:
      return null;
  }
}

/** A logger that writes what `logger` writes and tells `target` what the metrics count. */
export function tapLogger(logger: WatchLogger, target: LogTapTarget): WatchLogger {
  const tap = (fields: Record<string, unknown> | undefined) => {
    const outcome = outcomeOf(fields);
    if (outcome === null || typeof fields?.channel !== 'string') return;
    // A send counts once whatever it carried; an expiry counts each queued message it gave up.
    const count = outcome === 'expired' && Array.isArray(fields.refs) ? fields.refs.length : 1;
    target.notification(fields.channel, outcome, count);
  };
  return {
    info(message, fields) {
      logger.info(message, fields);
      tap(fields);
    },
    warn(message, fields) {
      logger.warn(message, fields);
      tap(fields);
    },
    error(message, fields) {
      logger.error(message, fields);
      tap(fields);
    },
    sweep: (sweep) => logger.sweep(sweep),
    event: (event) => logger.event(event),
    skipped(skip) {
      logger.skipped(skip);
      target.skippedTick();
    },
  };
}
