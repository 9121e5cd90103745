/**
 * A Telegram channel's settings: the bot's token (from ${VAR}: it is part of every request's path), the
 * chat and, in a forum group, the topic. Sending is notify/telegram.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';
import { baseUrl, intIn, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export interface TelegramConfig {
  type: 'telegram';
  botToken: string;
  /** A numeric chat id (negative for groups), or "@channelusername". */
  chatId: number | string;
  /** The topic of a forum group (message_thread_id); null for the chat itself. */
  threadId: number | null;
  baseUrl: string;
}

export const TELEGRAM_API = 'https://api.telegram.org';

const CHAT_WORDS = 'a chat id such as -1001234567890 (a number) or a channel such as "@my_channel"';

const schema = () =>
  z
    .strictObject({
      type: z.literal('telegram'),
      botToken: secret('a bot token', '${TELEGRAM_BOT_TOKEN}', {
        pattern: /^\d+:[A-Za-z0-9_-]{20,}$/,
        described: 'the bot id, ":" and the secret, as BotFather gives it',
      }).describe("The bot's token from BotFather; keep it in an environment variable."),
      chatId: z
        .union([z.int(), z.string().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/)], {
          error: expected(CHAT_WORDS),
        })
        .describe('The chat: its numeric id, or "@channelusername" for a public channel.'),
      threadId: intIn('a forum topic id (message_thread_id)', 1, 2 ** 31 - 1)
        .optional()
        .describe('In a forum group: the topic to post in.'),
      baseUrl: baseUrl(TELEGRAM_API)
        .optional()
        .describe(`The Bot API server; ${TELEGRAM_API} by default, or a local Bot API server.`),
    })
    .transform(
      (c): TelegramConfig => ({
        type: 'telegram',
        botToken: c.botToken,
        // A numeric id written as a string is sent as a number, as Telegram documents it.
        chatId: typeof c.chatId === 'string' && /^-?\d+$/.test(c.chatId) ? Number(c.chatId) : c.chatId,
        threadId: c.threadId ?? null,
        baseUrl: withoutSlash(c.baseUrl ?? TELEGRAM_API),
      }),
    );

export const telegramChannel = defineChannel(
  schema,
  '{"type": "telegram", "botToken": "${TELEGRAM_BOT_TOKEN}", "chatId": -1001234567890}',
);
