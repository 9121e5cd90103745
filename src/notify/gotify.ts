/**
 * Gotify (POST /message on your server): a push with a title and plain text, the application token in
 * the `X-Gotify-Key` header (never in the URL, where proxies log it). Errors come as
 * `{"error", "errorCode", "errorDescription"}`.
 */

import type { GotifyConfig } from '../channels/gotify.js';
import { answerObject, isTransientStatus, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { isAlarming } from './render/chat-safe.js';
import { renderPlain } from './render/plain.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Gotify server';

// Gotify sets no limit of its own; a phone shows far less, and the rest is in the other channels.
const MAX_BYTES = 8000;

export function gotifyPayload(message: Message, config: GotifyConfig): string {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  return JSON.stringify({
    title: `uptime-squirrel: ${message.title}`,
    message: renderPlain(message, MAX_BYTES),
    priority: config.priority ?? (isAlarming(counts) ? 8 : 5),
    extras: { 'client::display': { contentType: 'text/plain' } },
  });
}

export const gotifyNotifier: Notifier<GotifyConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'gotify',
      secrets: [config.token],
      send: (message, ctx) =>
        postJson(`${config.baseUrl}/message`, gotifyPayload(message, config), ctx, {
          what: WHAT,
          headers: { 'x-gotify-key': config.token },
          judge: ({ status, body, text, retryAfterMs }) => {
            const json = answerObject(body);
            if (status >= 200 && status < 300) {
              return typeof json?.id === 'number' ? { answer: `HTTP ${status} message ${json.id}` } : null;
            }
            if (typeof json?.errorDescription !== 'string') return null;
            return refusal(WHAT, status, text, {
              transient: isTransientStatus(status),
              retryAfterMs,
              reason: `${String(json.error ?? status)}: ${json.errorDescription}`,
            });
          },
        }),
    };
  },
};
