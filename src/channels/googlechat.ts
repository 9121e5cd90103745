/**
 * A Google Chat channel's settings: the space's incoming webhook URL, whose `key` and `token` are the
 * credential. Sending is notify/googlechat.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl } from './fields.js';
import { defineChannel } from './spec.js';

export interface GoogleChatConfig {
  type: 'googlechat';
  url: string;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('googlechat'),
      url: secretHttpUrl('${GOOGLE_CHAT_WEBHOOK_URL}').describe(
        "The space's webhook URL (with its key and token); keep it in an environment variable.",
      ),
    })
    .transform((c): GoogleChatConfig => ({ type: 'googlechat', url: c.url }));

export const googleChatChannel = defineChannel(
  schema,
  '{"type": "googlechat", "url": "${GOOGLE_CHAT_WEBHOOK_URL}"}',
);
