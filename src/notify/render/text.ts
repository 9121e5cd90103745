/**
 * Plain text, one line per site: the body of an email, the `text` of a webhook, and the line format the
 * chat renderer escapes.
 */

import type { Item, Message } from '../message.js';
import { fitLines } from '../text.js';

/** `- API (https://api.example.com/): HTTP 500; down since ...`; the URL only when the label is not it. */
export function itemLine(item: Item): string {
  return item.url === null
    ? `- ${item.label}: ${item.detail}`
    : `- ${item.label} (${item.url}): ${item.detail}`;
}

/** The whole message, its title line first, in at most `maxChars` characters. */
export function renderText(message: Message, maxChars = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [];
  if (message.note !== null) lines.push(`Note: ${message.note}`, '');
  lines.push(`uptime-squirrel: ${message.title}`);
  if (message.body !== undefined) {
    // The channel's template (notify/template.ts): plain text needs no escaping.
    lines.push('', ...message.body((text) => text).split('\n'));
    return `${fitLines(lines, maxChars)}\n`;
  }
  if (message.intro !== null) lines.push('', message.intro);
  for (const section of message.sections) {
    lines.push('', section.heading);
    for (const item of section.items) lines.push(itemLine(item));
  }
  return `${fitLines(lines, maxChars)}\n`;
}
