/**
 * Folding: the events of one sweep, or of several not yet delivered, become one entry per outage (or
 * per stretch of the monitor being offline). The first of the three layers of a message: fold, then
 * compose (compose.ts: the words), then render (render/: one renderer per output form).
 *
 * Everything that came from outside (site names, URLs, failure messages quoting a server) passes through
 * `oneLine` when the message is built (here for events, in compose.ts for the summary): no renderer ever
 * sees a line break it did not write itself.
 */

import type { EventSite, WatchEvent } from '../core/events.js';
import { describeCause, describeCert, describeOffline } from '../util/describe.js';
import { formatTime, oneLine } from './text.js';

export type EntryKind =
  | 'monitor-offline'
  | 'monitor-online'
  | 'down'
  | 'recovered'
  | 'still-down'
  | 'degraded'
  | 'fast-again'
  | 'cert-expiring'
  | 'cert-renewed';

/** One site (or the monitor) in a message: the events of one outage folded together. */
export interface Entry {
  kind: EntryKind;
  site: EventSite | null;
  /** The failure, as a person reads it; monitor-offline: what failed ("8 of 8 checks got no response (8 dns)"). */
  cause: string | null;
  /** Start of the outage (its first failed check), or of the monitor being offline. */
  since: string | null;
  /** recovered, monitor-online: when it was back. */
  until: string | null;
  /** recovered: how long it was down; still-down (and down with a reminder folded in): so far. */
  durationMs: number | null;
  /** monitor-offline: how many checks of the sweep failed, of how many. */
  failed: number | null;
  checked: number | null;
  /** Time of the latest event folded in. */
  at: string;
  eventIds: number[];
}

export interface Counts {
  down: number;
  recovered: number;
  stillDown: number;
  monitorOffline: number;
  monitorOnline: number;
  /** Slowness and certificates: counted only when the message has some, so outage messages stay as they were. */
  degraded?: number;
  fastAgain?: number;
  certExpiring?: number;
  certRenewed?: number;
}

/** Masks secrets in a text; the identity where there is nothing to mask. */
export type Redact = (text: string) => string;
export const keep: Redact = (text) => text;

export function cleanSite(site: EventSite, redact: Redact): EventSite {
  return {
    key: site.key,
    url: oneLine(redact(site.url), 2000),
    name: site.name === null ? null : oneLine(redact(site.name), 200),
  };
}

function causeText(event: WatchEvent, redact: Redact): string | null {
  return event.cause === null ? null : oneLine(redact(describeCause(event.cause)), 300);
}

/** A `down` told late, once what held it ended: the cause, then why it comes now. */
function downText(event: WatchEvent, redact: Redact): string | null {
  const cause = causeText(event, redact);
  const note =
    event.maintenance !== undefined
      ? `started during maintenance "${oneLine(redact(event.maintenance), 100)}", still down when it ended`
      : event.silencedSince !== undefined
        ? `silenced since ${formatTime(event.silencedSince)}, still down when the silence ended`
        : null;
  return note === null ? cause : `${cause ?? 'unknown cause'} (${note})`;
}

function addMs(iso: string | null, ms: number | null): string | null {
  if (iso === null || ms === null) return null;
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A stretch (an outage, a slow spell) that ended: from when, for how long, and until when. */
function ended(
  entry: Entry,
  kind: 'recovered' | 'fast-again',
  cause: string | null,
  since: string | null,
  forMs: number | null,
  at: string,
): void {
  entry.kind = kind;
  entry.cause = cause ?? entry.cause;
  entry.since = since ?? entry.since;
  entry.durationMs = forMs;
  entry.until = addMs(entry.since, forMs) ?? at;
}

/**
 * Events (of one sweep or of several not yet delivered) folded into one entry per outage: a `down`
 * followed by its `up` becomes one "recovered" entry that says when the outage began and ended, never a
 * bare "recovered" after a "down" that was not delivered. Monitor events fold the same way.
 */
export function entriesOf(events: readonly WatchEvent[], redact: Redact = keep): Entry[] {
  const byOutage = new Map<string, Entry>();
  const sorted = [...events].sort((a, b) => a.id - b.id);
  for (const event of sorted) {
    const isMonitor = event.site === null;
    // An outage is an incident; a stretch of slowness is the site's degraded and recovered; a site event
    // without either (a certificate's) stands alone.
    const slowness = event.type === 'degraded' || event.type === 'recovered';
    const key = isMonitor
      ? 'monitor'
      : slowness && event.site !== null
        ? `slow:${event.site.key}`
        : event.incidentId !== null
          ? `incident:${event.incidentId}`
          : `event:${event.id}`;
    const previous = byOutage.get(key);
    const entry: Entry = previous ?? {
      kind: 'down',
      site: event.site === null ? null : cleanSite(event.site, redact),
      cause: null,
      since: null,
      until: null,
      durationMs: null,
      failed: null,
      checked: null,
      at: event.at,
      eventIds: [],
    };
    entry.eventIds.push(event.id);
    entry.at = event.at;
    switch (event.type) {
      case 'down':
        entry.kind = 'down';
        entry.cause = downText(event, redact);
        entry.since = event.downSince ?? event.at;
        break;
      case 'still-down':
        // A reminder for an outage whose `down` is in this same message adds only how long it has lasted.
        if (previous === undefined || previous.kind !== 'down') entry.kind = 'still-down';
        entry.cause = causeText(event, redact) ?? entry.cause;
        entry.since = event.downSince ?? entry.since;
        entry.durationMs = event.downForMs;
        break;
      case 'up':
        ended(entry, 'recovered', causeText(event, redact), event.downSince, event.downForMs, event.at);
        break;
      case 'degraded':
        entry.kind = 'degraded';
        entry.cause = causeText(event, redact);
        entry.since = event.degradedSince ?? event.at;
        break;
      case 'recovered':
        ended(
          entry,
          'fast-again',
          causeText(event, redact),
          event.degradedSince ?? null,
          event.degradedForMs ?? null,
          event.at,
        );
        break;
      case 'cert-expiring':
      case 'cert-renewed':
        entry.kind = event.type;
        entry.cause = oneLine(redact(describeCert(event)), 300);
        entry.since = event.at;
        break;
      case 'monitor-offline':
        entry.kind = 'monitor-offline';
        entry.cause = describeOffline(event);
        entry.since = event.at;
        entry.failed = event.failed;
        entry.checked = event.checked;
        break;
      case 'monitor-online':
        entry.kind = 'monitor-online';
        entry.since = event.downSince ?? entry.since;
        entry.until = event.at;
        entry.durationMs = event.downForMs;
        break;
    }
    byOutage.set(key, entry);
  }
  return [...byOutage.values()];
}

export function countEntries(entries: readonly Entry[]): Counts {
  const counts: Counts = { down: 0, recovered: 0, stillDown: 0, monitorOffline: 0, monitorOnline: 0 };
  const more = (key: 'degraded' | 'fastAgain' | 'certExpiring' | 'certRenewed') => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const e of entries) {
    if (e.kind === 'down') counts.down++;
    else if (e.kind === 'recovered') counts.recovered++;
    else if (e.kind === 'still-down') counts.stillDown++;
    else if (e.kind === 'monitor-offline') counts.monitorOffline++;
    else if (e.kind === 'monitor-online') counts.monitorOnline++;
    else if (e.kind === 'degraded') more('degraded');
    else if (e.kind === 'fast-again') more('fastAgain');
    else if (e.kind === 'cert-expiring') more('certExpiring');
    else more('certRenewed');
  }
  return counts;
}
