/**
 * Mattermost incoming webhooks, which take Slack's payload (`{"text": ...}`, slack.ts) but render it as
 * Mattermost markdown: bold is `**...**`, markdown characters are escaped with a backslash, `&`, `<` and
 * `>` as HTML entities (so no `<!channel>` or `<url|text>` of Slack's forms is translated), and an "@" is
 * kept from starting a mention (render/chat-safe.ts). Mattermost splits a text longer than its post
 * size into several posts; 16,383 characters is its limit since version 5.0.
 */

import type { MattermostConfig } from '../channels/mattermost.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { defuseMentions } from './render/chat-safe.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

const MAX_CHARS = 16_000;

export const mattermostDialect: MarkdownDialect = {
  bold: (text) => `**${text}**`,
  escape: (text) =>
    defuseMentions(
      text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_~[\]()#|!-]/g, '\\$&'),
    ),
};

/** The Slack-compatible document with this chat's own markdown: `text`, and the optional sender name. */
export function slackCompatiblePayload(
  message: Message,
  dialect: MarkdownDialect,
  maxChars: number,
  extra: Record<string, string> = {},
): string {
  return JSON.stringify({ text: renderMarkdown(message, dialect, maxChars), ...extra });
}

export const mattermostNotifier: Notifier<MattermostConfig> = {
  create(name, config): Channel {
    const extra: Record<string, string> = config.username === null ? {} : { username: config.username };
    return {
      name,
      type: 'mattermost',
      secrets: [config.url],
      send: (message, ctx) =>
        postJson(config.url, slackCompatiblePayload(message, mattermostDialect, MAX_CHARS, extra), ctx, {
          what: 'Mattermost webhook',
        }),
    };
  },
};
