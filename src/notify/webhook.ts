/**
 * A generic webhook: one JSON POST per message with the grouped entries, the raw events and the sweeps
 * they came from, for scripts and incident tools. Built with JSON.stringify only, so no text a server
 * sent can change the document's structure. An `Idempotency-Key` header (the message id) lets a
 * receiver drop the repeat that at-least-once delivery allows after a crash.
 */

import type { WebhookConfig } from '../channels/webhook.js';
import { VERSION } from '../core/version.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { renderText } from './render/text.js';
import type { Channel, Notifier } from './types.js';

/** The document a webhook receives; `data` holds entries/events/sweeps, the summary report, or the test. */
export function webhookPayload(message: Message): string {
  return JSON.stringify({
    source: 'uptime-squirrel',
    version: VERSION,
    id: message.id,
    title: message.title,
    note: message.note,
    at: message.at,
    text: renderText(message),
    // kind, then entries/events/sweeps, the summary report, or the test channel.
    ...message.data,
  });
}

export const webhookNotifier: Notifier<WebhookConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'webhook',
      secrets: [config.url, ...Object.values(config.headers)],
      send: (message, ctx) =>
        postJson(config.url, webhookPayload(message), ctx, {
          what: 'webhook',
          method: config.method,
          headers: { ...config.headers, 'idempotency-key': message.id },
        }),
    };
  },
};
