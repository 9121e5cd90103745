/**
 * When a maintenance window is on: a recurring one (a cron expression for its starts, each lasting a
 * duration, in a time zone) or a one-off one (start and end). Daylight-saving changes are the cron
 * library's: a start at a local time that does not exist that day comes at the first time after it, and a
 * local time that happens twice starts once.
 */

import { createRequire } from 'node:module';
import type * as Cron from 'cron';

/**
 * The cron package, required on first use: the CLI's options (`--tz`) and the config's checks import this
 * file, and cron with luxon would add ~6-30 ms to the start of every command (util/cron.ts does the same).
 */
let cron: typeof Cron | null = null;
function cronTime(expression: string, zone: string | undefined): Cron.CronTime {
  cron ??= createRequire(import.meta.url)('cron') as typeof Cron;
  return new cron.CronTime(expression, zone);
}

export interface RecurringTime {
  /** Cron expression of the starts (5 fields, or 6 with seconds first). */
  every: string;
  durationMs: number;
  /** IANA zone of the expression; null: the caller's default. */
  timeZone: string | null;
}

export interface OneOffTime {
  /** ms since the epoch; the window is [start, end). */
  start: number;
  end: number;
}

export type WindowTime = RecurringTime | OneOffTime;

export interface Occurrence {
  start: number;
  end: number;
}

/** The zone a recurring window runs in: its own, else `zone` (the config's), else the system's. */
function cronOf(w: RecurringTime, zone: string | null): { time: Cron.CronTime; zone: string | undefined } {
  const tz = w.timeZone ?? zone ?? undefined;
  return { time: cronTime(w.every.trim(), tz), zone: tz };
}

/** The first cron tick strictly after `after` (ms), in `zone` (the system's when undefined). */
export function nextTick(expression: string, after: number, zone?: string | null): number {
  const tz = zone ?? undefined;
  return cronTime(expression.trim(), tz).getNextDateFrom(new Date(after), tz).toMillis();
}

/** The occurrence of the window that covers `at`, or null. */
export function occurrenceAt(w: WindowTime, at: number, zone: string | null = null): Occurrence | null {
  if ('start' in w) return at >= w.start && at < w.end ? { start: w.start, end: w.end } : null;
  const cron = cronOf(w, zone);
  const start = cron.time.getNextDateFrom(new Date(at - w.durationMs), cron.zone).toMillis();
  return start <= at ? { start, end: start + w.durationMs } : null;
}

/** The occurrence going on at `now`, else the next one; null for a one-off window that is over. */
export function nextOccurrence(w: WindowTime, now: number, zone: string | null = null): Occurrence | null {
  const current = occurrenceAt(w, now, zone);
  if (current !== null) return current;
  if ('start' in w) return w.start > now ? { start: w.start, end: w.end } : null;
  const cron = cronOf(w, zone);
  const start = cron.time.getNextDateFrom(new Date(now), cron.zone).toMillis();
  return { start, end: start + w.durationMs };
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
