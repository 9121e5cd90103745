/** A Discord channel's settings: the webhook URL (the credential) and the name it posts as. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl, text } from './fields.js';
import { defineChannel } from './spec.js';

export interface DiscordConfig {
  type: 'discord';
  url: string;
  username: string | null;
}

const schema = () =>
  z
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

export const discordChannel = defineChannel(schema, '{"type": "discord", "url": "${DISCORD_WEBHOOK_URL}"}');
