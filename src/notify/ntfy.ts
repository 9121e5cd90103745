/**
 * ntfy (https://ntfy.sh or a server of your own): push to a phone. Published as JSON to the server's
 * root URL, so the title travels in the body and never in a header.
 */

import type { NtfyConfig } from '../channels/ntfy.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { fitLines } from './text.js';
import type { Channel, Notifier } from './types.js';

// ntfy keeps messages up to 4,096 bytes; characters can take up to 3 bytes in UTF-8.
const MAX_BYTES = 4000;

function bodyText(message: Message): string {
  const lines: string[] = [];
  if (message.note !== null) lines.push(`Note: ${message.note}`);
  if (message.intro !== null) lines.push(message.intro);
  for (const section of message.sections) {
    lines.push(section.heading);
    for (const item of section.items) lines.push(`- ${item.label}: ${item.detail}`);
  }
  // Characters first (cheap), then bytes: a line of emoji takes four bytes a character.
  let budget = MAX_BYTES;
  let out = fitLines(lines, budget);
  while (Buffer.byteLength(out) > MAX_BYTES && budget > 100) {
    budget = Math.floor(budget * 0.8);
    out = fitLines(lines, budget);
  }
  return out || message.title;
}

export function ntfyPayload(message: Message, config: NtfyConfig): string {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  const alarming = counts !== null && counts.down + counts.stillDown + counts.monitorOffline > 0;
  return JSON.stringify({
    topic: config.topic,
    title: `uptime-squirrel: ${message.title}`,
    message: bodyText(message),
    priority: config.priority ?? (alarming ? 4 : 3),
    tags: [alarming ? 'rotating_light' : message.kind === 'events' ? 'white_check_mark' : 'squirrel'],
  });
}

export const ntfyNotifier: Notifier<NtfyConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'ntfy',
      secrets: [`${config.server}${config.topic}`, ...(config.token === null ? [] : [config.token])],
      send: (message, ctx) =>
        postJson(config.server, ntfyPayload(message, config), ctx, {
          what: 'ntfy server',
          headers: config.token === null ? {} : { authorization: `Bearer ${config.token}` },
        }),
    };
  },
};
