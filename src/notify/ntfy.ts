/**
 * ntfy (https://ntfy.sh or a server of your own): push to a phone. Published as JSON to the server's
 * root URL, so the title travels in the body and never in a header.
 */

import type { NtfyConfig } from '../channels/ntfy.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { renderPlain } from './render/plain.js';
import type { Channel, Notifier } from './types.js';

// ntfy keeps messages up to 4,096 bytes; characters can take up to 3 bytes in UTF-8.
const MAX_BYTES = 4000;

export function ntfyPayload(message: Message, config: NtfyConfig): string {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  const alarming = counts !== null && counts.down + counts.stillDown + counts.monitorOffline > 0;
  return JSON.stringify({
    topic: config.topic,
    title: `uptime-squirrel: ${message.title}`,
    message: renderPlain(message, MAX_BYTES),
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
