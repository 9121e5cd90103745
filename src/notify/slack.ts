/** Slack incoming webhooks: `{"text": ...}` in mrkdwn, within Slack's advised length. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { z } from 'zod';
import { secretHttpUrl } from './fields.js';
import { postJson } from './http.js';
import { type MarkdownDialect, type Message, renderMarkdown } from './message.js';
import type { Channel, Notifier } from './types.js';

export interface SlackConfig {
  type: 'slack';
  url: string;
}

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

const schema = z
  .strictObject({
    type: z.literal('slack'),
    url: secretHttpUrl('${SLACK_WEBHOOK_URL}').describe(
      'The incoming webhook URL; keep it in an environment variable.',
    ),
  })
  .transform((c): SlackConfig => ({ type: 'slack', url: c.url }));

export const slackNotifier: Notifier<SlackConfig> = {
  schema,
  keys: ['type', 'url'],
  example: '{"type": "slack", "url": "${SLACK_WEBHOOK_URL}"}',
  create(name, config): Channel {
    return {
      name,
      type: 'slack',
      secrets: [config.url],
      send: (message, ctx) => postJson(config.url, slackPayload(message), ctx, { what: 'Slack webhook' }),
    };
  },
};
