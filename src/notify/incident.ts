/**
 * What the incident tools (PagerDuty, Opsgenie) are told, whatever their API: a message's entries as
 * alerts that open or close, each under a key of its own that the tool deduplicates by, so that a repeat
 * (a retry, a restart in the middle of a send, a `still-down` reminder) touches the same alert instead
 * of opening another, and a site's recovery closes the very alert its outage opened.
 */

import { itemOf, titleOf } from './compose.js';
import type { Entry } from './fold.js';
import type { Delivery } from './http.js';
import type { Message } from './message.js';
import { formatTime, oneLine } from './text.js';

export interface AlertChange {
  /** `open` creates the alert, or touches it when it is open already; `close` resolves it. */
  action: 'open' | 'close';
  /** The alert's own key: one per site (its store key), one for the monitor, one for test messages. */
  key: string;
  /** One line: what the alert's title says. */
  summary: string;
  /** The site's name or URL, "the monitor", or "test". */
  subject: string;
  /** The site's URL (redacted); null for the monitor and tests. */
  url: string | null;
  /** The body: the template's, else the entry's detail. */
  detail: string;
  /** down, still-down, recovered, monitor-offline, monitor-online, test. */
  state: string;
  /** The time the event was raised. */
  at: string;
  /** Whether it is about the monitor (a lower severity) rather than a site. */
  monitor: boolean;
  cause: string | null;
  since: string | null;
}

const plain = (text: string) => text;

/**
 * Sends each request in order, one at a time (a site's trigger before its resolve); the answers joined
 * for the log. The tool deduplicates each by its key, so a retry of the whole message after some of them
 * went through repeats nothing that matters.
 */
export async function sendInOrder<T>(
  requests: readonly T[],
  send: (request: T) => Promise<Delivery>,
): Promise<Delivery> {
  const answers: string[] = [];
  for (const request of requests) answers.push((await send(request)).answer);
  return {
    answer: answers.length === 0 ? 'nothing to send (a summary is not an incident)' : answers.join('; '),
  };
}

const OPENS: ReadonlySet<Entry['kind']> = new Set([
  'down',
  'still-down',
  'monitor-offline',
  'degraded',
  'cert-expiring',
]);
const SLOW: ReadonlySet<Entry['kind']> = new Set(['degraded', 'fast-again']);
const CERT: ReadonlySet<Entry['kind']> = new Set(['cert-expiring', 'cert-renewed']);

function changeOf(entry: Entry, message: Message, single: boolean, prefix: string): AlertChange {
  const item = itemOf(entry);
  const open = OPENS.has(entry.kind);
  // Slowness and certificates are alerts of their own: they must neither open nor close the outage's.
  const topic = SLOW.has(entry.kind) ? 'slow-' : CERT.has(entry.kind) ? 'cert-' : '';
  const body = message.body?.(plain);
  return {
    action: open ? 'open' : 'close',
    key: entry.site === null ? `${prefix}monitor` : `${prefix}${topic}site-${entry.site.key}`,
    // A message of one entry has the title its template (if any) made; older rows may hold several.
    summary: oneLine(single ? message.title : titleOf([entry]), 1000),
    subject: item.label,
    url: entry.site?.url ?? null,
    detail: body === undefined || body === '' ? item.detail : body,
    state: entry.kind,
    at: entry.at,
    monitor: entry.site === null,
    cause: entry.cause,
    since: entry.since === null ? null : formatTime(entry.since),
  };
}

/**
 * The alert changes a message asks for, in order. A test message opens a test alert and closes it at
 * once, so that trying the channel pages nobody for long; a summary is no incident and asks for none.
 */
export function alertChanges(message: Message, prefix: string, channel: string): AlertChange[] {
  if (message.data.kind === 'events') {
    const { entries } = message.data;
    return entries.map((entry) => changeOf(entry, message, entries.length === 1, prefix));
  }
  if (message.data.kind === 'test') {
    const test: AlertChange = {
      action: 'open',
      key: `${prefix}test-${channel}`,
      summary: oneLine(message.title, 1000),
      subject: 'test',
      url: null,
      detail: message.body?.(plain) ?? message.intro ?? '',
      state: 'test',
      at: message.at,
      monitor: false,
      cause: null,
      since: null,
    };
    return [test, { ...test, action: 'close' }];
  }
  return [];
}
