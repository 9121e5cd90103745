/**
 * Vonage's SMS API (POST /sms/json): one text per message, form-encoded with the key and secret. Vonage
 * answers HTTP 200 even when it refused: each part of the text has a `status` in the body, and anything
 * but "0" is an error (1 throttled and 5 internal error are tried again; the rest, such as 4 bad
 * credentials or 9 no credit, are permanent). Text outside the GSM alphabet is sent as `unicode`.
 */

import type { VonageConfig } from '../channels/vonage.js';
import { answerObject, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { isGsm7, renderSms } from './render/sms.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Vonage SMS API';

/** Throttled, internal error, too many binds: the same request can go through later. */
const TRANSIENT = new Set(['1', '5', '10']);

export function vonageForm(message: Message, config: VonageConfig): string {
  const text = renderSms(message);
  return new URLSearchParams({
    api_key: config.apiKey,
    api_secret: config.apiSecret,
    from: config.from,
    to: config.to,
    text,
    type: isGsm7(text) ? 'text' : 'unicode',
    'client-ref': message.id.slice(0, 100),
  }).toString();
}

interface Part {
  status: string;
  'error-text'?: string;
  'message-id'?: string;
}

function partsOf(json: Record<string, unknown> | null): Part[] | null {
  const messages = json?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return null;
  return messages.map((m: { status?: unknown; 'error-text'?: unknown; 'message-id'?: unknown }) => ({
    status: String(m?.status ?? ''),
    ...(typeof m?.['error-text'] === 'string' ? { 'error-text': m['error-text'] } : {}),
    ...(typeof m?.['message-id'] === 'string' ? { 'message-id': m['message-id'] } : {}),
  }));
}

export const vonageNotifier: Notifier<VonageConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'vonage',
      secrets: [config.apiKey, config.apiSecret],
      send: (message, ctx) =>
        postJson(`${config.baseUrl}/sms/json`, vonageForm(message, config), ctx, {
          what: WHAT,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          judge: ({ status, body, text, retryAfterMs }) => {
            if (status < 200 || status >= 300) return null;
            const parts = partsOf(answerObject(body));
            if (parts === null) {
              return refusal(WHAT, status, text, {
                transient: false,
                reason: `an answer without messages: ${text}`,
              });
            }
            const failed = parts.filter((p) => p.status !== '0');
            const ids = parts.map((p) => p['message-id'] ?? '?').join(', ');
            if (failed.length === 0) {
              return {
                answer: `HTTP ${status} message-id ${ids}${parts.length > 1 ? ` (${parts.length} parts)` : ''}`,
              };
            }
            const first = failed[0] as Part;
            const reason = `status ${first.status}${first['error-text'] === undefined ? '' : ` (${first['error-text']})`}`;
            // A part already accepted would be sent again with the whole text: better one cut text than two.
            if (failed.length < parts.length) {
              return refusal(WHAT, status, text, {
                transient: false,
                reason: `${reason} for ${failed.length} of ${parts.length} parts; the others were sent, so the text is not sent again`,
              });
            }
            return refusal(WHAT, status, text, {
              transient: TRANSIENT.has(first.status),
              retryAfterMs,
              reason,
            });
          },
        }),
    };
  },
};
