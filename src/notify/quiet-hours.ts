/**
 * Quiet hours: whether an instant falls inside a channel's daily window of local time ("22:00" to
 * "07:00" in Europe/Berlin), and when that window ends. Pure functions of the instant, so that a test
 * can ask about any time of any day, daylight saving changes included.
 */

import type { QuietHoursConfig } from '../channels/common.js';

const DAY_MINUTES = 24 * 60;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight in `timeZone` (seconds dropped), and the seconds and ms past that minute. */
function localClock(ms: number, timeZone: string): { minutes: number; intoMinuteMs: number } {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  // Every IANA zone today is offset by whole minutes, so the seconds are those of UTC.
  return { minutes: hour * 60 + minute, intoMinuteMs: ((ms % 60_000) + 60_000) % 60_000 };
}

function inside(q: QuietHoursConfig, minutes: number): boolean {
  return q.fromMinutes < q.toMinutes
    ? minutes >= q.fromMinutes && minutes < q.toMinutes
    : minutes >= q.fromMinutes || minutes < q.toMinutes;
}

/** Whether `now` is within the quiet hours. */
export function isQuiet(q: QuietHoursConfig, now: number): boolean {
  return inside(q, localClock(now, q.timezone).minutes);
}

/**
 * When the quiet hours that `now` falls in end (the first instant outside them); null when `now` is not
 * in quiet hours. Across a daylight saving change the wall clock jumps, so the first guess is corrected
 * by the local time it lands on; an end time the change skips ends the hours when the clock passes it.
 */
export function quietUntil(q: QuietHoursConfig, now: number): number | null {
  const { minutes, intoMinuteMs } = localClock(now, q.timezone);
  if (!inside(q, minutes)) return null;
  const ahead = (q.toMinutes - minutes + DAY_MINUTES) % DAY_MINUTES;
  let end = now - intoMinuteMs + ahead * 60_000;
  for (let i = 0; i < 3; i++) {
    const landed = localClock(end, q.timezone).minutes;
    if (landed === q.toMinutes) break;
    // The difference in wall-clock minutes, taken the short way round the day.
    const off = ((landed - q.toMinutes + DAY_MINUTES * 1.5) % DAY_MINUTES) - DAY_MINUTES / 2;
    end -= off * 60_000;
  }
  // Never before `now`, and past any hour a change skipped: step forward until outside.
  while (end <= now || inside(q, localClock(end, q.timezone).minutes)) end += 60_000;
  return end;
}
