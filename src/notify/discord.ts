/**
 * Discord webhooks: `{"content": ...}` in Discord markdown, within its 2,000 characters, with every
 * mention disabled (`allowed_mentions`), so a site name like "@everyone" pings nobody.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { z } from 'zod';
import { secretHttpUrl, text } from './fields.js';
import { postJson } from './http.js';
import { type MarkdownDialect, type Message, renderMarkdown } from './message.js';
import type { Channel, Notifier } from './types.js';

export interface DiscordConfig {
  type: 'discord';
  url: string;
  username: string | null;
}

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

const schema = z
  .strictObject({
    type: z.literal('discord'),
    url: secretHttpUrl('${DISCORD_WEBHOOK_URL}').describe(
      'The webhook URL; keep it in an environment variable.',
    ),
    username: text('a display name', 80)
      .optional()
      .describe("Shown as the sender instead of the webhook's name."),
  })
  .transform((c): DiscordConfig => ({ type: 'discord', url: c.url, username: c.username ?? null }));

export const discordNotifier: Notifier<DiscordConfig> = {
  schema,
  keys: ['type', 'url', 'username'],
  example: '{"type": "discord", "url": "${DISCORD_WEBHOOK_URL}"}',
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
