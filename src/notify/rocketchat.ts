/**
 * Rocket.Chat incoming webhooks: Slack's payload (`{"text": ...}`, see mattermost.ts) in Rocket.Chat's
 * markdown, where bold is `*...*`, within its default 5,000 characters a message. Its markdown has no
 * escape for every character, so mentions and links are broken up instead (render/chat-safe.ts): a site
 * called "@all" pings nobody.
 */

import type { RocketChatConfig } from '../channels/rocketchat.js';
import { postJson } from './http.js';
import { slackCompatiblePayload } from './mattermost.js';
import { defuseMentions } from './render/chat-safe.js';
import type { MarkdownDialect } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

const MAX_CHARS = 4900;

export const rocketChatDialect: MarkdownDialect = {
  bold: (text) => `*${text}*`,
  escape: defuseMentions,
};

export const rocketChatNotifier: Notifier<RocketChatConfig> = {
  create(name, config): Channel {
    const extra: Record<string, string> = config.alias === null ? {} : { alias: config.alias };
    return {
      name,
      type: 'rocketchat',
      secrets: [config.url],
      send: (message, ctx) =>
        postJson(config.url, slackCompatiblePayload(message, rocketChatDialect, MAX_CHARS, extra), ctx, {
          what: 'Rocket.Chat webhook',
        }),
    };
  },
};
