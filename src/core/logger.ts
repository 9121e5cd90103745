/** The daemon's log as every stage sees it; watch/log.ts writes it as text or JSON lines. */

import type { SkippedTick, SweepSummary, WatchEvent } from './events.js';

export const LOG_FORMATS = ['text', 'json'] as const;

export type LogFormat = (typeof LOG_FORMATS)[number];

export type Level = 'info' | 'warn' | 'error';

/** Lines with a level and structured fields: the part of the daemon's logger that notifications use. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface WatchLogger extends Logger {
  sweep(sweep: SweepSummary): void;
  event(event: WatchEvent): void;
  skipped(skip: SkippedTick): void;
}
