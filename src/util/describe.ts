/** Causes, events and sweeps in words: the log, the messages and the reports say them alike. */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import type { Cause } from '../core/state.js';
import { formatMs, humanDuration } from './time.js';

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
