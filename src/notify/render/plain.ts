/**
 * A push notification's body (ntfy): plain text without the title (it travels apart) and without URLs
 * (a phone screen has no room for them), within a limit in BYTES, since that is how ntfy counts.
 */

import type { Message } from '../message.js';
import { fitLines } from '../text.js';

/** The body in at most `maxBytes` bytes of UTF-8; the title when there is nothing else to say. */
export function renderPlain(message: Message, maxBytes: number): string {
  const lines: string[] = [];
  if (message.note !== null) lines.push(`Note: ${message.note}`);
  if (message.body !== undefined) lines.push(...message.body((text) => text).split('\n'));
  else {
    if (message.intro !== null) lines.push(message.intro);
    for (const section of message.sections) {
      lines.push(section.heading);
      for (const item of section.items) lines.push(`- ${item.label}: ${item.detail}`);
    }
  }
  // Characters first (cheap), then bytes: a line of emoji takes four bytes a character.
  let budget = maxBytes;
  let out = fitLines(lines, budget);
  while (Buffer.byteLength(out) > maxBytes && budget > 100) {
    budget = Math.floor(budget * 0.8);
    out = fitLines(lines, budget);
  }
  return out || message.title;
}
