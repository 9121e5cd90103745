/**
 * Telegram's Bot API (sendMessage): one message in Telegram's HTML, within its 4,096 characters, link
 * previews off. Telegram's errors come as `{"ok": false, "error_code", "description", "parameters"}`: a
 * 429 is tried again after the `retry_after` seconds it asks for; a group that became a supergroup says
 * its new chat id; other refusals (chat not found, bot blocked) are permanent.
 */

import type { TelegramConfig } from '../channels/telegram.js';
import { answerObject, isTransientStatus, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Telegram Bot API';

// Telegram counts the 4,096 after parsing the markup; counting the tags and entities too stays under it.
const MAX_CHARS = 4096;

/** parse_mode HTML: only &, < and > need escaping, and with them escaped no text becomes a tag. */
export const telegramDialect: MarkdownDialect = {
  bold: (text) => `<b>${text}</b>`,
  escape: (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
};

export function telegramPayload(message: Message, config: TelegramConfig): string {
  return JSON.stringify({
    chat_id: config.chatId,
    ...(config.threadId === null ? {} : { message_thread_id: config.threadId }),
    text: renderMarkdown(message, telegramDialect, MAX_CHARS),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  });
}

export const telegramNotifier: Notifier<TelegramConfig> = {
  create(name, config): Channel {
    // The token is part of the path: it is a secret, and so is the URL that holds it.
    const url = `${config.baseUrl}/bot${config.botToken}/sendMessage`;
    return {
      name,
      type: 'telegram',
      secrets: [config.botToken, url],
      send: (message, ctx) =>
        postJson(url, telegramPayload(message, config), ctx, {
          what: WHAT,
          judge: ({ status, body, text, retryAfterMs }) => {
            const json = answerObject(body);
            if (json === null) return null;
            const result = json.result as { message_id?: unknown } | undefined;
            if (json.ok === true) {
              return { answer: `HTTP ${status} message_id ${String(result?.message_id ?? '?')}` };
            }
            const description = typeof json.description === 'string' ? json.description : text;
            const parameters = (json.parameters ?? {}) as {
              retry_after?: unknown;
              migrate_to_chat_id?: unknown;
            };
            if (typeof parameters.migrate_to_chat_id === 'number') {
              return refusal(WHAT, status, text, {
                transient: false,
                reason: `${description}: the group is now a supergroup; set "chatId" to ${parameters.migrate_to_chat_id}`,
              });
            }
            const wait =
              typeof parameters.retry_after === 'number' ? parameters.retry_after * 1000 : retryAfterMs;
            return refusal(WHAT, status, text, {
              transient: isTransientStatus(status),
              retryAfterMs: wait,
              reason: description,
            });
          },
        }),
    };
  },
};
