/**
 * The daemon's log on stderr: one line per sweep and one per event, each starting with the UTC time.
 * `json` writes one JSON object per line for log shippers, with the same facts under stable names.
 */

import type { OutStream } from '../commands/io.js';
import { formatMs } from '../probe/classify.js';
import type { SweepSummary, WatchEvent } from './events.js';
import type { SkippedTick } from './scheduler.js';
import type { Cause } from './transitions.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type Level = 'info' | 'warn' | 'error';

export interface WatchLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  sweep(sweep: SweepSummary): void;
  event(event: WatchEvent): void;
  skipped(skip: SkippedTick): void;
}

/** 3725000 -> "1h 2m 5s"; under a minute with one decimal of seconds at most. */
export function humanDuration(ms: number): string {
  if (ms < 60_000) return formatMs(ms);
  const total = Math.round(ms / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.slice(0, 3).join(' ');
}

/** "timeout: no response within 10 s"; a status failure's message already starts with "HTTP 503". */
export function describeCause(cause: Cause | null): string {
  if (cause === null) return 'unknown cause';
  if (cause.kind === 'http-status') return cause.message ?? `HTTP ${cause.status ?? '?'}`;
  return cause.message ? `${cause.kind}: ${cause.message}` : cause.kind;
}

function siteLabel(event: WatchEvent): string {
  const site = event.site;
  if (site === null) return 'the monitor';
  return site.name === null ? site.url : `${site.name} (${site.url})`;
}

/** The text line for an event, without the time. */
export function describeEvent(event: WatchEvent): string {
  switch (event.type) {
    case 'down':
      return `DOWN ${siteLabel(event)}: ${describeCause(event.cause)}`;
    case 'still-down':
      return `STILL DOWN ${siteLabel(event)} for ${humanDuration(event.downForMs ?? 0)}: ${describeCause(event.cause)}`;
    case 'up':
      return `UP ${siteLabel(event)} after ${humanDuration(event.downForMs ?? 0)} down`;
    case 'monitor-offline':
      return `MONITOR OFFLINE: ${event.failed} of ${event.checked} checks failed at once, so the monitor's own network is the likely culprit; site states are left unchanged until it recovers`;
    case 'monitor-online':
      return `MONITOR ONLINE again after ${humanDuration(event.downForMs ?? 0)}`;
  }
}

export function describeSweep(s: SweepSummary): string {
  const took = formatMs(Date.parse(s.finishedAt) - Date.parse(s.startedAt));
  const of =
    s.checked === s.sites
      ? `${s.sites} site${s.sites === 1 ? '' : 's'}`
      : `${s.checked} of ${s.sites} sites checked`;
  const skipped = `${s.skippedTicks} tick${s.skippedTicks === 1 ? '' : 's'} skipped`;
  const notes = [
    s.outcome === 'monitor-offline' ? 'monitor offline: no site changed state' : '',
    s.aborted ? 'aborted: unfinished checks not recorded' : '',
  ].filter(Boolean);
  return `sweep #${s.id}: ${s.up} up, ${s.down} down (${of}) in ${took}, ${skipped}${notes.length ? `; ${notes.join('; ')}` : ''}`;
}

export function createLogger(
  stream: OutStream,
  format: LogFormat,
  clock: () => number = Date.now,
): WatchLogger {
  const time = () => new Date(clock()).toISOString();
  const write = (level: Level, text: string, json: Record<string, unknown>) => {
    if (format === 'json') stream.write(`${JSON.stringify({ time: time(), level, ...json })}\n`);
    else stream.write(`${time()} ${level === 'info' ? '' : `${level.toUpperCase()} `}${text}\n`);
  };
  const plain =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(level, message, { msg: message, ...fields });
  return {
    info: plain('info'),
    warn: plain('warn'),
    error: plain('error'),
    sweep: (sweep) => write('info', describeSweep(sweep), { msg: 'sweep', sweep }),
    event: (event) =>
      write(event.type === 'up' || event.type === 'monitor-online' ? 'info' : 'warn', describeEvent(event), {
        msg: 'event',
        event,
      }),
    skipped: (skip) =>
      write(
        'warn',
        `tick skipped: the sweep in flight has run for ${formatMs(skip.runningForMs)} (${skip.skipped} skipped so far)`,
        { msg: 'tick skipped', ...skip },
      ),
  };
}
