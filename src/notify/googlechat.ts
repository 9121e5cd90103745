/**
 * Google Chat incoming webhooks: `{"text": ...}` in Google Chat's formatting (bold is `*...*`), within
 * the 32,000 bytes a message may take. Its formatting has no escape, so mentions ("<users/all>") and links are broken up
 * instead (render/chat-safe.ts). Errors come in Google's form, `{"error": {"code", "message", "status"}}`.
 */

import type { GoogleChatConfig } from '../channels/googlechat.js';
import { answerObject, isTransientStatus, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { defuseMentions, withinBytes } from './render/chat-safe.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Google Chat webhook';

// Google Chat takes 32,000 bytes a message, the JSON around the text included.
const MAX_BYTES = 30_000;

export const googleChatDialect: MarkdownDialect = {
  bold: (text) => `*${text}*`,
  escape: defuseMentions,
};

export function googleChatPayload(message: Message): string {
  const text = withinBytes((chars) => renderMarkdown(message, googleChatDialect, chars), MAX_BYTES);
  return JSON.stringify({ text });
}

export const googleChatNotifier: Notifier<GoogleChatConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'googlechat',
      secrets: [config.url],
      send: (message, ctx) =>
        postJson(config.url, googleChatPayload(message), ctx, {
          what: WHAT,
          headers: { 'content-type': 'application/json; charset=UTF-8' },
          judge: ({ status, body, text, retryAfterMs }) => {
            const json = answerObject(body);
            if (status >= 200 && status < 300) {
              return typeof json?.name === 'string' ? { answer: `HTTP ${status} ${json.name}` } : null;
            }
            const error = json?.error as { status?: unknown; message?: unknown } | undefined;
            if (typeof error?.message !== 'string') return null;
            return refusal(WHAT, status, text, {
              transient: isTransientStatus(status),
              retryAfterMs,
              reason: typeof error.status === 'string' ? `${error.status}: ${error.message}` : error.message,
            });
          },
        }),
    };
  },
};
