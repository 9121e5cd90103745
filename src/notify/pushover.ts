/**
 * Pushover (POST /1/messages.json): a push with a title of at most 250 characters and a text of at most
 * 1,024, form-encoded with the application token and the user key. Pushover answers `{"status": 1}` or
 * `{"status": 0, "errors": [...]}`. Its 429 means the application used up its monthly messages: no
 * retry within a day can help, so it is permanent like every other 4xx; 5xx is tried again.
 */

import type { PushoverConfig } from '../channels/pushover.js';
import { answerObject, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { isAlarming } from './render/chat-safe.js';
import { renderPlain } from './render/plain.js';
import { oneLine } from './text.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Pushover API';

export function pushoverForm(message: Message, config: PushoverConfig): string {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  const form = new URLSearchParams({
    token: config.token,
    user: config.user,
    title: oneLine(`uptime-squirrel: ${message.title}`, 250),
    // At most 1,024 bytes is at most 1,024 characters, which is how Pushover counts.
    message: renderPlain(message, 1024),
    priority: String(config.priority ?? (isAlarming(counts) ? 1 : 0)),
  });
  if (config.device !== null) form.set('device', config.device);
  return form.toString();
}

export const pushoverNotifier: Notifier<PushoverConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'pushover',
      secrets: [config.token, config.user],
      send: (message, ctx) =>
        postJson(`${config.baseUrl}/1/messages.json`, pushoverForm(message, config), ctx, {
          what: WHAT,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          judge: ({ status, body, text, retryAfterMs }) => {
            const json = answerObject(body);
            if (status >= 200 && status < 300 && json?.status === 1) {
              return { answer: `HTTP ${status} request ${String(json.request ?? '?')}` };
            }
            const errors = Array.isArray(json?.errors) ? json.errors.map(String).join('; ') : null;
            if (errors === null && status !== 429) return null;
            return refusal(WHAT, status, text, {
              transient: status >= 500,
              retryAfterMs,
              reason:
                status === 429
                  ? `${errors ?? 'too many messages'}: the application is over its monthly limit; not retried`
                  : (errors ?? text),
            });
          },
        }),
    };
  },
};
