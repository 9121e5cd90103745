/** Slack incoming webhooks: `{"text": ...}` in mrkdwn, within Slack's advised length. */

import type { SlackConfig } from '../channels/slack.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

// Slack cuts a message's text at 40,000 characters but advises at most 4,000 for it to be read.
const MAX_CHARS = 3900;

/** Slack needs only &, < and > escaped; with them escaped no text can become a link or a mention. */
export const slackDialect: MarkdownDialect = {
  bold: (text) => `*${text}*`,
  escape: (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
};

export function slackPayload(message: Message): string {
  return JSON.stringify({
    text: renderMarkdown(message, slackDialect, MAX_CHARS),
    unfurl_links: false,
    unfurl_media: false,
  });
}

export const slackNotifier: Notifier<SlackConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'slack',
      secrets: [config.url],
      send: (message, ctx) => postJson(config.url, slackPayload(message), ctx, { what: 'Slack webhook' }),
    };
  },
};
