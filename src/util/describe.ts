/** Causes, events and sweeps in words: the log, the messages and the reports say them alike. */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import { KINDS } from '../core/result.js';
import type { Cause, KindCounts } from '../core/state.js';
import { formatMs, humanDuration } from './time.js';

/** "timeout: no answer within 10 s: waited for the response headers (headers timeout)"; a status failure's message already starts with "HTTP 503". */
export function describeCause(cause: Cause | null): string {
  if (cause === null) return 'unknown cause';
  if (cause.kind === 'http-status') return cause.message ?? `HTTP ${cause.status ?? '?'}`;
  // A slow answer (degraded) is no failure: its message says how slow.
  if (cause.kind === 'ok') return cause.message ?? 'slow';
  return cause.message ? `${cause.kind}: ${cause.message}` : cause.kind;
}

const kindOrder = (kind: string) => (KINDS as readonly string[]).indexOf(kind);

/** "5 dns, 3 refused": the most frequent first. */
export function describeKinds(kinds: KindCounts): string {
  return Object.entries(kinds)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || kindOrder(a[0]) - kindOrder(b[0]))
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

/**
 * "8 of 8 checks got no response (5 dns, 3 refused)": why a sweep counted as the monitor being offline.
 * Stretches recorded before the counts were kept say less.
 */
export function describeOffline(o: {
  failed: number | null;
  checked: number | null;
  kinds?: KindCounts | null | undefined;
}): string {
  if (o.failed === null || o.checked === null) return 'most checks got no response';
  const kinds = o.kinds ? describeKinds(o.kinds) : '';
  return `${o.failed} of ${o.checked} check${o.checked === 1 ? '' : 's'} got no response${kinds ? ` (${kinds})` : ''}`;
}

function siteLabel(event: WatchEvent): string {
  const site = event.site;
  if (site === null) return 'the monitor';
  return site.name === null ? site.url : `${site.name} (${site.url})`;
}

/** The text line for an event, without the time; says when a silence held it or what held it before. */
export function describeEvent(event: WatchEvent): string {
  const line = eventLine(event);
  if (event.silenced !== undefined) return `${line} (silenced since ${event.silenced}: not sent)`;
  if (event.maintenance !== undefined) return `${line} (started during maintenance "${event.maintenance}")`;
  if (event.silencedSince !== undefined) return `${line} (silenced since ${event.silencedSince}, now told)`;
  return line;
}

function eventLine(event: WatchEvent): string {
  switch (event.type) {
    case 'down':
      return `DOWN ${siteLabel(event)}: ${describeCause(event.cause)}`;
    case 'still-down':
      return `STILL DOWN ${siteLabel(event)} for ${humanDuration(event.downForMs ?? 0)}: ${describeCause(event.cause)}`;
    case 'up':
      return `UP ${siteLabel(event)} after ${humanDuration(event.downForMs ?? 0)} down`;
    case 'degraded':
      return `DEGRADED ${siteLabel(event)}: ${describeCause(event.cause)}`;
    case 'recovered':
      return `RECOVERED ${siteLabel(event)}: quick again after ${humanDuration(event.degradedForMs ?? 0)} degraded`;
    case 'cert-expiring':
      return `CERTIFICATE EXPIRING ${siteLabel(event)}: ${describeCert(event)}`;
    case 'cert-renewed':
      return `CERTIFICATE RENEWED ${siteLabel(event)}: ${describeCert(event)}`;
    case 'monitor-offline':
      return `MONITOR OFFLINE: ${describeOffline(event)}; the monitor's own network is the likely culprit, so no site changes state until it is back`;
    case 'monitor-online':
      return `MONITOR ONLINE again after ${humanDuration(event.downForMs ?? 0)}`;
  }
}

/**
 * "the certificate CN=example.com expires in 12 days (2027-01-15), under the 14-day warning" for
 * cert-expiring; "now CN=example.com until 2027-04-15 (90 days), replacing the one that expires 2027-01-15"
 * for cert-renewed.
 */
export function describeCert(event: Pick<WatchEvent, 'type' | 'cert' | 'threshold' | 'previous'>): string {
  const c = event.cert;
  if (c === undefined) return 'certificate';
  const day = (iso: string) => iso.slice(0, 10);
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (event.type === 'cert-renewed') {
    const was =
      event.previous === undefined ? '' : `, replacing the one that expires ${day(event.previous.validTo)}`;
    return `now ${c.subject || 'a certificate'} until ${day(c.validTo)} (${days(c.daysLeft)})${was}`;
  }
  const when = c.daysLeft < 0 ? `expired ${days(-c.daysLeft)} ago` : `expires in ${days(c.daysLeft)}`;
  const under = event.threshold === undefined ? '' : `, within the ${days(event.threshold)} warning`;
  return `the certificate ${c.subject || ''} ${when} (${day(c.validTo)})${under}`.replace('  ', ' ');
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
