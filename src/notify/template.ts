/**
 * A channel's templates (`"template": {"title": ..., "body": ...}`, checked at load by
 * channels/template.ts) applied to a message: the title becomes the message's title (one line, plain
 * text: each renderer escapes it like any title), the body replaces the sections.
 *
 * Escaping never depends on the template: the variables are escaped for the output's format (HTML,
 * the chat's markup, nothing for plain text and JSON, which JSON.stringify makes safe) before Mustache
 * sees them, and Mustache's own escaping is turned off, so `{{x}}`, `{{{x}}}` and `{{&x}}` all give the
 * same escaped text. The variables hold no functions, so a template cannot run anything.
 */

import Mustache from 'mustache';
import type { TemplateConfig } from '../channels/common.js';
import type { SITE_VARIABLES, VARIABLES } from '../channels/template.js';
import { humanDuration } from '../util/time.js';
import { HOST, itemOf } from './compose.js';
import type { Entry } from './fold.js';
import type { Message } from './message.js';
import { itemLine } from './render/text.js';
import { formatTime, oneLine } from './text.js';
import type { Channel } from './types.js';

export type Escape = (text: string) => string;

type Value = string | number | null;
type SiteView = { [K in keyof typeof SITE_VARIABLES]: Value };
type View = {
  [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K] extends 'value'
    ? Value
    : (typeof VARIABLES)[K] extends readonly unknown[]
      ? SiteView[]
      : K extends 'counts'
        ? Record<string, number>
        : SiteView | null;
};

const plain: Escape = (text) => text;

function siteView(entry: Entry): SiteView {
  const item = itemOf(entry);
  return {
    name: entry.site?.name ?? (entry.site === null ? 'the monitor' : null),
    label: item.label,
    url: entry.site?.url ?? null,
    checkLink: entry.site?.url ?? null,
    key: entry.site?.key ?? null,
    state: entry.kind,
    cause: entry.cause,
    since: entry.since === null ? null : formatTime(entry.since),
    sinceIso: entry.since,
    until: entry.until === null ? null : formatTime(entry.until),
    untilIso: entry.until,
    duration: entry.durationMs === null ? null : humanDuration(entry.durationMs),
    durationMs: entry.durationMs,
    detail: item.detail,
  };
}

/** The message as plain text lines, without its title: the intro and the sections. */
function textOf(message: Message): string {
  const lines: string[] = [];
  if (message.intro !== null) lines.push(message.intro, '');
  for (const section of message.sections) {
    lines.push(section.heading, ...section.items.map(itemLine), '');
  }
  return lines.join('\n').trim();
}

/** The variables of a message, unescaped (channels/template.ts declares them; the README lists them). */
export function viewOf(message: Message, channel: string): View {
  const entries = message.data.kind === 'events' ? message.data.entries : [];
  const sites = entries.filter((e) => e.site !== null).map(siteView);
  const monitor = entries.find((e) => e.site === null);
  const c = message.data.kind === 'events' ? message.data.counts : null;
  return {
    title: message.title,
    text: textOf(message),
    kind: message.kind,
    note: message.note,
    intro: message.intro,
    host: HOST,
    channel,
    at: formatTime(message.at),
    heldSince: message.heldSince === undefined ? null : formatTime(message.heldSince),
    counts: {
      down: c?.down ?? 0,
      recovered: c?.recovered ?? 0,
      stillDown: c?.stillDown ?? 0,
      monitorOffline: c?.monitorOffline ?? 0,
      monitorOnline: c?.monitorOnline ?? 0,
    },
    sites,
    down: sites.filter((s) => s.state === 'down'),
    recovered: sites.filter((s) => s.state === 'recovered'),
    stillDown: sites.filter((s) => s.state === 'still-down'),
    site: sites.length === 1 ? (sites[0] ?? null) : null,
    monitor: monitor === undefined ? null : siteView(monitor),
  };
}

/** Every string of the view escaped; numbers and nulls as they are. */
function escaped<T>(value: T, escapeValue: Escape): T {
  if (typeof value === 'string') return escapeValue(value) as T;
  if (Array.isArray(value)) return value.map((v) => escaped(v, escapeValue)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escaped(v, escapeValue)])) as T;
  }
  return value;
}

function render(source: string, view: View, escapeValue: Escape): string {
  // Mustache's escaping off: the view is already escaped for the output, whatever tags the template uses.
  return Mustache.render(source, escaped(view, escapeValue), {}, { escape: plain });
}

/** The message with the channel's templates applied: its title and, rendered per output, its body. */
export function applyTemplate(message: Message, template: TemplateConfig, channel: string): Message {
  const view = viewOf(message, channel);
  const title = template.title === null ? message.title : oneLine(render(template.title, view, plain), 200);
  const body = template.body;
  return {
    ...message,
    title: title === '' ? message.title : title,
    ...(body === null ? {} : { body: (escapeValue: Escape) => render(body, view, escapeValue).trim() }),
  };
}

/** The channel, sending every message through its templates; the channel itself when it has none. */
export function withTemplate(channel: Channel, template: TemplateConfig | undefined): Channel {
  if (template === undefined) return channel;
  return {
    ...channel,
    send: (message, ctx) => channel.send(applyTemplate(message, template, channel.name), ctx),
  };
}
