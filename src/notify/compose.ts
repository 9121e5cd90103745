/**
 * Composing: the wording of a message from folded entries (fold.ts), of a test message and of the daily
 * summary. Pure text builders; rendering into a channel's format is render/'s.
 */

import { hostname } from 'node:os';
import type { SweepSummary, WatchEvent } from '../core/events.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { humanDuration } from '../util/time.js';
import { cleanSite, countEntries, type Entry, type EntryKind, entriesOf, keep, type Redact } from './fold.js';
import type { Item, Message } from './message.js';
import { formatTime, oneLine } from './text.js';

/** The host name test messages give, so the reader knows which monitor sent them. */
export const HOST = hostname();

const SECTION_ORDER: { kind: EntryKind; heading: string }[] = [
  { kind: 'monitor-offline', heading: 'Monitor offline' },
  { kind: 'monitor-online', heading: 'Monitor back online' },
  { kind: 'down', heading: 'Down' },
  { kind: 'recovered', heading: 'Recovered' },
  { kind: 'still-down', heading: 'Still down' },
  { kind: 'degraded', heading: 'Degraded (slow)' },
  { kind: 'fast-again', heading: 'Fast again' },
  { kind: 'cert-expiring', heading: 'Certificate expiring' },
  { kind: 'cert-renewed', heading: 'Certificate renewed' },
];

function detailOf(e: Entry): string {
  const since = e.since === null ? 'an unknown time' : formatTime(e.since);
  const cause = e.cause ?? 'unknown cause';
  switch (e.kind) {
    case 'down':
      return e.durationMs === null
        ? `${cause}; down since ${since}`
        : `${cause}; down since ${since} (${humanDuration(e.durationMs)} so far)`;
    case 'still-down':
      return `${cause}; down since ${since} (${humanDuration(e.durationMs ?? 0)} so far)`;
    case 'recovered':
      return `was down from ${since} to ${formatTime(e.until ?? e.at)} (${humanDuration(e.durationMs ?? 0)}): ${cause}`;
    case 'monitor-offline':
      return (
        `${cause} at ${since}: the monitor's own network is the likely culprit, so site states are left ` +
        'unchanged and site alerts are held until it is back'
      );
    case 'monitor-online':
      return `offline from ${since} to ${formatTime(e.until ?? e.at)} (${humanDuration(e.durationMs ?? 0)})`;
    case 'degraded':
      return `up but slow: ${cause}; slow since ${since}`;
    case 'fast-again':
      return `was slow from ${since} to ${formatTime(e.until ?? e.at)} (${humanDuration(e.durationMs ?? 0)}): ${cause}`;
    case 'cert-expiring':
    case 'cert-renewed':
      return cause;
  }
}

export function itemOf(e: Entry): Item {
  if (e.site === null) return { label: 'the monitor', url: null, detail: detailOf(e) };
  return e.site.name === null
    ? { label: e.site.url, url: null, detail: detailOf(e) }
    : { label: e.site.name, url: e.site.url, detail: detailOf(e) };
}

/** "3 down, 1 recovered, 2 still down"; with a single site entry, its label too: "1 down: API". */
export function titleOf(entries: readonly Entry[]): string {
  const c = countEntries(entries);
  const parts = [
    c.monitorOffline > 0 ? 'monitor offline' : '',
    c.monitorOnline > 0 ? 'monitor back online' : '',
    c.down > 0 ? `${c.down} down` : '',
    c.recovered > 0 ? `${c.recovered} recovered` : '',
    c.stillDown > 0 ? `${c.stillDown} still down` : '',
    c.degraded ? `${c.degraded} degraded` : '',
    c.fastAgain ? `${c.fastAgain} fast again` : '',
    c.certExpiring ? `${c.certExpiring} certificate${c.certExpiring === 1 ? '' : 's'} expiring` : '',
    c.certRenewed ? `${c.certRenewed} certificate${c.certRenewed === 1 ? '' : 's'} renewed` : '',
  ].filter(Boolean);
  const sites = entries.filter((e) => e.site !== null);
  const single = sites.length === 1 && sites[0] ? `: ${itemOf(sites[0]).label}` : '';
  return oneLine(`${parts.join(', ') || 'no changes'}${single}`, 200);
}

export interface EventsMessageOptions {
  redact?: Redact;
  /** Some of these events may have been sent just before a crash: say so. */
  maybeRepeat?: boolean;
  /** Content key (the outbox rows it carries). */
  id: string;
  now?: number;
  /** Some rows were held back by the channel's quiet hours, the oldest queued then (ms): say so. */
  heldSince?: number | null;
}

export function eventsMessage(
  events: readonly WatchEvent[],
  sweeps: readonly SweepSummary[],
  opts: EventsMessageOptions,
): Message {
  const redact = opts.redact ?? keep;
  const entries = entriesOf(events, redact);
  const sections = SECTION_ORDER.map(({ kind, heading }) => {
    const items = entries.filter((e) => e.kind === kind).map(itemOf);
    return { heading: `${heading} (${items.length})`, items };
  }).filter((s) => s.items.length > 0);
  const sorted = [...events].sort((a, b) => a.id - b.id);
  return {
    kind: 'events',
    id: opts.id,
    title: titleOf(entries),
    intro:
      opts.heldSince === null || opts.heldSince === undefined
        ? null
        : `Quiet hours are over: this is what was held back since ${formatTime(opts.heldSince)}.`,
    sections,
    note: opts.maybeRepeat
      ? 'The monitor restarted while sending this message: you may have received part of it already.'
      : null,
    at: new Date(opts.now ?? Date.now()).toISOString(),
    ...(opts.heldSince === null || opts.heldSince === undefined
      ? {}
      : { heldSince: new Date(opts.heldSince).toISOString() }),
    data: {
      kind: 'events',
      counts: countEntries(entries),
      entries,
      events: sorted.map((e) => redactEvent(e, redact)),
      sweeps: [...sweeps],
    },
  };
}

/** The stored event with every text a server could have influenced redacted and made one line. */
function redactEvent(event: WatchEvent, redact: Redact): WatchEvent {
  return {
    ...event,
    site: event.site === null ? null : cleanSite(event.site, redact),
    cause:
      event.cause === null
        ? null
        : {
            ...event.cause,
            message: event.cause.message === null ? null : oneLine(redact(event.cause.message), 1000),
          },
  };
}

export function testMessage(opts: {
  channel: string;
  type: string;
  host: string;
  sites: number;
  now?: number;
}): Message {
  const at = new Date(opts.now ?? Date.now()).toISOString();
  return {
    kind: 'test',
    id: `test-${opts.channel}-${Date.parse(at)}`,
    title: `test message for channel ${oneLine(opts.channel, 100)}`,
    intro: oneLine(
      `This is a test message from uptime-squirrel on ${opts.host}, sent at ${formatTime(at)} through the ` +
        `channel "${opts.channel}" (${opts.type}), which alerts for ${opts.sites} site${opts.sites === 1 ? '' : 's'}. ` +
        'If you can read it, the channel works.',
      1000,
    ),
    sections: [],
    note: null,
    at,
    data: { kind: 'test', channel: opts.channel, type: opts.type },
  };
}

function percent(pct: number | null): string {
  return pct === null ? 'no checks' : `${pct.toFixed(pct === 100 ? 0 : 3)}% up`;
}

/** The daily summary: uptime per site over the report's window, sites with the lowest uptime first. */
export function summaryMessage(report: UptimeReport, opts: { id: string; redact?: Redact }): Message {
  const redact = opts.redact ?? keep;
  const sites = [...report.sites].sort((a, b) => (a.uptimePct ?? 101) - (b.uptimePct ?? 101));
  const checks = report.sites.reduce((n, s) => n + s.checks, 0);
  const up = report.sites.reduce((n, s) => n + ((s.uptimePct ?? 0) / 100) * s.checks, 0);
  const incidents = report.sites.reduce((n, s) => n + s.incidents.length, 0);
  const down = report.sites.filter((s) => s.state === 'down').length;
  const overall = checks === 0 ? null : Math.round((up / checks) * 100_000) / 1000;
  const items = sites.map((s): Item => {
    const url = oneLine(redact(s.url), 2000);
    const name = s.name === null ? null : oneLine(redact(s.name), 200);
    const p95 = s.p95Ms === null ? '' : `, p95 ${s.p95Ms} ms`;
    const n = s.incidents.length;
    const detail = `${percent(s.uptimePct)} over ${s.checks} checks${p95}, ${n} incident${n === 1 ? '' : 's'}${s.state === 'down' ? ', down now' : ''}`;
    return name === null ? { label: url, url: null, detail } : { label: name, url, detail };
  });
  return {
    kind: 'summary',
    id: opts.id,
    title: oneLine(
      `daily summary: ${report.sites.length} site${report.sites.length === 1 ? '' : 's'}, ${percent(overall)}, ${incidents} incident${incidents === 1 ? '' : 's'}` +
        (down > 0 ? `, ${down} down now` : ''),
      200,
    ),
    intro: `Uptime from ${formatTime(report.since)} to ${formatTime(report.until)}.`,
    sections: items.length === 0 ? [] : [{ heading: `Sites (${items.length})`, items }],
    note: null,
    at: report.until,
    data: { kind: 'summary', report },
  };
}
