/**
 * A Rocket.Chat channel's settings: the incoming webhook URL (the credential) and the name it posts as.
 * Sending is notify/rocketchat.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl, text } from './fields.js';
import { defineChannel } from './spec.js';

export interface RocketChatConfig {
  type: 'rocketchat';
  url: string;
  alias: string | null;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('rocketchat'),
      url: secretHttpUrl('${ROCKETCHAT_WEBHOOK_URL}').describe(
        'The incoming webhook URL; keep it in an environment variable.',
      ),
      alias: text('a display name', 64).optional().describe('Shown as the sender instead of the bot user.'),
    })
    .transform((c): RocketChatConfig => ({ type: 'rocketchat', url: c.url, alias: c.alias ?? null }));

export const rocketChatChannel = defineChannel(
  schema,
  '{"type": "rocketchat", "url": "${ROCKETCHAT_WEBHOOK_URL}"}',
);
