/**
 * Discord webhooks: `{"content": ...}` in Discord markdown, within its 2,000 characters, with every
 * mention disabled (`allowed_mentions`), so a site name like "@everyone" pings nobody.
 */

import type { DiscordConfig } from '../channels/discord.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import type { Channel, Notifier } from './types.js';

const MAX_CHARS = 1990;

export const discordDialect: MarkdownDialect = {
  bold: (t) => `**${t}**`,
  // Markdown characters and the `<` of <@id> / <#channel> forms, escaped with a backslash.
  escape: (t) => t.replace(/[\\*_~`|>#<[\]()-]/g, '\\$&'),
};

export function discordPayload(message: Message, username: string | null): string {
  return JSON.stringify({
    content: renderMarkdown(message, discordDialect, MAX_CHARS),
    ...(username === null ? {} : { username }),
    allowed_mentions: { parse: [] },
  });
}

export const discordNotifier: Notifier<DiscordConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'discord',
      secrets: [config.url],
      send: (message, ctx) =>
        postJson(config.url, discordPayload(message, config.username), ctx, { what: 'Discord webhook' }),
    };
  },
};
