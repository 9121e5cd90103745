/**
 * Microsoft Teams through a Workflows webhook: one Adaptive Card. Every text is a TextRun of a
 * RichTextBlock, which Teams never reads as markdown, so nothing in a site name or a server's answer
 * needs escaping or can format, link or mention. Teams refuses a message over about 28 KB with HTTP 413
 * (permanent): sites are listed while the card stays under 24 KB, then one line says how many more.
 */

import type { TeamsConfig } from '../channels/teams.js';
import { postJson } from './http.js';
import type { Item, Message } from './message.js';
import { isAlarming } from './render/chat-safe.js';
import { fitLines } from './text.js';
import type { Channel, Notifier } from './types.js';

const MAX_BYTES = 24_000;

/** A template's text, in characters: under MAX_BYTES even at three bytes each. */
const TEMPLATE_CHARS = 8000;

interface Run {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Medium';
  color?: 'Attention' | 'Good';
}

function block(inlines: Run[], spacing?: 'None' | 'Medium'): Record<string, unknown> {
  return { type: 'RichTextBlock', inlines, ...(spacing === undefined ? {} : { spacing }) };
}

function run(text: string, style: Omit<Run, 'type' | 'text'> = {}): Run {
  return { type: 'TextRun', text, ...style };
}

function itemBlock(item: Item) {
  const url = item.url === null ? '' : ` (${item.url})`;
  return block([run('• '), run(item.label, { weight: 'Bolder' }), run(`${url}: ${item.detail}`)], 'None');
}

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** The card's body: title, note, intro, then each section's sites while they fit. */
export function teamsCard(message: Message): Record<string, unknown> {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  const body: Record<string, unknown>[] = [];
  if (message.note !== null) body.push(block([run(`Note: ${message.note}`, { color: 'Attention' })]));
  body.push(
    block([
      run(`uptime-squirrel: ${message.title}`, {
        weight: 'Bolder',
        size: 'Medium',
        ...(counts === null ? {} : { color: isAlarming(counts) ? 'Attention' : 'Good' }),
      }),
    ]),
  );
  if (message.body !== undefined) {
    // The channel's template: a TextRun is never read as markdown, so its values need no escaping.
    body.push(block([run(fitLines(message.body((text) => text).split('\n'), TEMPLATE_CHARS))]));
    return card(body);
  }
  if (message.intro !== null) body.push(block([run(message.intro)]));
  let used = size(body) + 400;
  const total = message.sections.reduce((n, s) => n + s.items.length, 0);
  let shown = 0;
  outer: for (const section of message.sections) {
    const heading = block([run(section.heading, { weight: 'Bolder' })], 'Medium');
    used += size(heading) + 1;
    body.push(heading);
    for (const item of section.items) {
      const line = itemBlock(item);
      // Room for this site and for the line that says how many were left out.
      if (used + size(line) + 200 > MAX_BYTES) break outer;
      used += size(line) + 1;
      body.push(line);
      shown++;
    }
  }
  if (shown < total) body.push(block([run(`… and ${total - shown} more`)], 'Medium'));
  return card(body);
}

function card(body: Record<string, unknown>[]): Record<string, unknown> {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    msteams: { width: 'Full' },
  };
}

export function teamsPayload(message: Message): string {
  return JSON.stringify({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: teamsCard(message),
      },
    ],
  });
}

export const teamsNotifier: Notifier<TeamsConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'teams',
      secrets: [config.url],
      send: (message, ctx) => postJson(config.url, teamsPayload(message), ctx, { what: 'Teams webhook' }),
    };
  },
};
