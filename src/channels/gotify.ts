/**
 * A Gotify channel's settings: your server, an application token (from ${VAR}) and the priority.
 * Sending is notify/gotify.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { baseUrl, intIn, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export interface GotifyConfig {
  type: 'gotify';
  baseUrl: string;
  token: string;
  /** 0 to 10; null: 8 when something is down, 5 otherwise. */
  priority: number | null;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('gotify'),
      baseUrl: baseUrl('https://gotify.example.com').describe('Your Gotify server.'),
      token: secret("an application's token", '${GOTIFY_TOKEN}').describe(
        "The application's token (Apps > Create application); keep it in an environment variable.",
      ),
      priority: intIn('a priority', 0, 10)
        .optional()
        .describe('0 to 10; by default 8 when something is down, 5 otherwise.'),
    })
    .transform(
      (c): GotifyConfig => ({
        type: 'gotify',
        baseUrl: withoutSlash(c.baseUrl),
        token: c.token,
        priority: c.priority ?? null,
      }),
    );

export const gotifyChannel = defineChannel(
  schema,
  '{"type": "gotify", "baseUrl": "https://gotify.example.com", "token": "${GOTIFY_TOKEN}"}',
);
