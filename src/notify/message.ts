/**
 * What a channel sends, as pure data and pure text builders: events grouped into one message (down,
 * recovered, still down, monitor offline), a test message, the daily summary. Every notifier renders
 * the same Message, so a site reads the same in an email, a webhook and a chat.
 *
 * Everything that came from outside (site names, URLs, failure messages quoting a server) passes through
 * `oneLine` when the message is built: no renderer ever sees a line break it did not write itself.
 */

import type { EventSite, SweepSummary, WatchEvent } from '../core/events.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { describeCause } from '../util/describe.js';
import { humanDuration } from '../util/time.js';
import { escapeHtml, fitLines, formatTime, oneLine } from './text.js';

export type EntryKind = 'monitor-offline' | 'monitor-online' | 'down' | 'recovered' | 'still-down';

/** One site (or the monitor) in a message: the events of one outage folded together. */
export interface Entry {
  kind: EntryKind;
  site: EventSite | null;
  /** The failure, as a person reads it; null for the monitor. */
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
}

export interface Item {
  /** The site's name, or its URL when it has none; "the monitor" for monitor entries. */
  label: string;
  /** The site's URL (redacted); null when the label already is the URL, and for the monitor. */
  url: string | null;
  detail: string;
}

export interface Section {
  heading: string;
  items: Item[];
}

export type MessageData =
  | {
      kind: 'events';
      counts: Counts;
      entries: Entry[];
      /** The stored events, oldest first: the raw facts for machines. */
      events: WatchEvent[];
      sweeps: SweepSummary[];
    }
  | { kind: 'test'; channel: string; type: string }
  | { kind: 'summary'; report: UptimeReport };

export interface Message {
  kind: MessageData['kind'];
  /** Stable for the same content: an idempotency key for webhooks, the Message-ID of an email. */
  id: string;
  /** One line, no prefix: "3 down, 1 recovered". */
  title: string;
  intro: string | null;
  sections: Section[];
  /** A warning printed above everything else (a possible repeat after a crash). */
  note: string | null;
  /** When the message was built. */
  at: string;
  data: MessageData;
}

export type Redact = (text: string) => string;
const keep: Redact = (text) => text;

// ------------------------------------------------------------------------------------------- folding

function cleanSite(site: EventSite, redact: Redact): EventSite {
  return {
    key: site.key,
    url: oneLine(redact(site.url), 2000),
    name: site.name === null ? null : oneLine(redact(site.name), 200),
  };
}

function causeText(event: WatchEvent, redact: Redact): string | null {
  return event.cause === null ? null : oneLine(redact(describeCause(event.cause)), 300);
}

function addMs(iso: string | null, ms: number | null): string | null {
  if (iso === null || ms === null) return null;
  return new Date(Date.parse(iso) + ms).toISOString();
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
    // An outage is an incident; a site event without one (never expected) stands alone.
    const key = isMonitor
      ? 'monitor'
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
        entry.cause = causeText(event, redact);
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
        entry.kind = 'recovered';
        entry.cause = causeText(event, redact) ?? entry.cause;
        entry.since = event.downSince ?? entry.since;
        entry.durationMs = event.downForMs;
        entry.until = addMs(entry.since, event.downForMs) ?? event.at;
        break;
      case 'monitor-offline':
        entry.kind = 'monitor-offline';
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
  for (const e of entries) {
    if (e.kind === 'down') counts.down++;
    else if (e.kind === 'recovered') counts.recovered++;
    else if (e.kind === 'still-down') counts.stillDown++;
    else if (e.kind === 'monitor-offline') counts.monitorOffline++;
    else counts.monitorOnline++;
  }
  return counts;
}

// ------------------------------------------------------------------------------------------ wording

const SECTION_ORDER: { kind: EntryKind; heading: string }[] = [
  { kind: 'monitor-offline', heading: 'Monitor offline' },
  { kind: 'monitor-online', heading: 'Monitor back online' },
  { kind: 'down', heading: 'Down' },
  { kind: 'recovered', heading: 'Recovered' },
  { kind: 'still-down', heading: 'Still down' },
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
        `${e.failed} of ${e.checked} checks failed at once at ${since}: the monitor's own network is the likely ` +
        'culprit, so site states are left unchanged and site alerts are held until it is back'
      );
    case 'monitor-online':
      return `offline from ${since} to ${formatTime(e.until ?? e.at)} (${humanDuration(e.durationMs ?? 0)})`;
  }
}

function itemOf(e: Entry): Item {
  if (e.site === null) return { label: 'the monitor', url: null, detail: detailOf(e) };
  return e.site.name === null
    ? { label: e.site.url, url: null, detail: detailOf(e) }
    : { label: e.site.name, url: e.site.url, detail: detailOf(e) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}`;
}

/** "3 down, 1 recovered, 2 still down"; with a single site entry, its label too: "1 down: API". */
export function titleOf(entries: readonly Entry[]): string {
  const c = countEntries(entries);
  const parts = [
    c.monitorOffline > 0 ? 'monitor offline' : '',
    c.monitorOnline > 0 ? 'monitor back online' : '',
    c.down > 0 ? plural(c.down, 'down') : '',
    c.recovered > 0 ? plural(c.recovered, 'recovered') : '',
    c.stillDown > 0 ? plural(c.stillDown, 'still down') : '',
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
    intro: null,
    sections,
    note: opts.maybeRepeat
      ? 'The monitor restarted while sending this message: you may have received part of it already.'
      : null,
    at: new Date(opts.now ?? Date.now()).toISOString(),
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

// ------------------------------------------------------------------------------------------ rendering

function itemLine(item: Item): string {
  return item.url === null
    ? `- ${item.label}: ${item.detail}`
    : `- ${item.label} (${item.url}): ${item.detail}`;
}

/** Plain text, one line per site: the email body and the base of the chat formats. */
export function renderText(message: Message, maxChars = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [];
  if (message.note !== null) lines.push(`Note: ${message.note}`, '');
  lines.push(`uptime-squirrel: ${message.title}`);
  if (message.intro !== null) lines.push('', message.intro);
  for (const section of message.sections) {
    lines.push('', section.heading);
    for (const item of section.items) lines.push(itemLine(item));
  }
  return `${fitLines(lines, maxChars)}\n`;
}

export function renderHtml(message: Message): string {
  const e = escapeHtml;
  const parts = ['<!doctype html><html><body style="font-family: sans-serif">'];
  if (message.note !== null) parts.push(`<p><strong>Note:</strong> ${e(message.note)}</p>`);
  parts.push(`<h2>uptime-squirrel: ${e(message.title)}</h2>`);
  if (message.intro !== null) parts.push(`<p>${e(message.intro)}</p>`);
  for (const section of message.sections) {
    parts.push(`<h3>${e(section.heading)}</h3><ul>`);
    for (const item of section.items) {
      const url = item.url === null ? '' : ` <code>${e(item.url)}</code>`;
      parts.push(`<li><strong>${e(item.label)}</strong>${url}: ${e(item.detail)}</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}

export interface MarkdownDialect {
  bold(text: string): string;
  /** Escapes text so that it renders literally (and mentions nobody). */
  escape(text: string): string;
}

/** Chat markdown (Slack mrkdwn, Discord markdown) in at most `maxChars` characters. */
export function renderMarkdown(message: Message, dialect: MarkdownDialect, maxChars: number): string {
  const x = dialect.escape;
  const lines: string[] = [];
  if (message.note !== null) lines.push(x(`Note: ${message.note}`));
  lines.push(dialect.bold(x(`uptime-squirrel: ${message.title}`)));
  if (message.intro !== null) lines.push(x(message.intro));
  for (const section of message.sections) {
    lines.push(dialect.bold(x(section.heading)));
    for (const item of section.items) lines.push(x(itemLine(item)));
  }
  return fitLines(lines, maxChars);
}
