/**
 * A Mattermost channel's settings: the incoming webhook URL (the credential; any server, self-hosted
 * included) and the name it posts as. Sending is notify/mattermost.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl, text } from './fields.js';
import { defineChannel } from './spec.js';

export interface MattermostConfig {
  type: 'mattermost';
  url: string;
  username: string | null;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('mattermost'),
      url: secretHttpUrl('${MATTERMOST_WEBHOOK_URL}').describe(
        'The incoming webhook URL; keep it in an environment variable.',
      ),
      username: text('a display name', 64)
        .optional()
        .describe('Shown as the sender (when the server lets integrations override it).'),
    })
    .transform((c): MattermostConfig => ({ type: 'mattermost', url: c.url, username: c.username ?? null }));

export const mattermostChannel = defineChannel(
  schema,
  '{"type": "mattermost", "url": "${MATTERMOST_WEBHOOK_URL}"}',
);
