/**
 * A Pushover channel's settings: the application's API token and the user (or group) key, both from
 * ${VAR}, an optional device and the priority. Sending is notify/pushover.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { baseUrl, intIn, secret, withoutSlash } from './api-fields.js';
import { text } from './fields.js';
import { defineChannel } from './spec.js';

export interface PushoverConfig {
  type: 'pushover';
  token: string;
  user: string;
  device: string | null;
  /** -2 (no alert) to 1 (high, bypasses quiet hours); null: 1 when something is down, 0 otherwise. */
  priority: number | null;
  baseUrl: string;
}

export const PUSHOVER_API = 'https://api.pushover.net';

const KEY = { pattern: /^[A-Za-z0-9]{30}$/, described: '30 letters and digits' };

const schema = () =>
  z
    .strictObject({
      type: z.literal('pushover'),
      token: secret("an application's API token", '${PUSHOVER_TOKEN}', KEY).describe(
        "The application's API token; keep it in an environment variable.",
      ),
      user: secret('a user or group key', '${PUSHOVER_USER}', KEY).describe(
        'The user or group key that receives the notifications.',
      ),
      device: text('a device name', 25).optional().describe("Only this device of the user's."),
      // Emergency priority (2) asks for acknowledgement, repeated until then: not for grouped sweeps.
      priority: intIn('a priority', -2, 1)
        .optional()
        .describe('-2 to 1; by default 1 (high) when something is down, 0 otherwise.'),
      baseUrl: baseUrl(PUSHOVER_API).optional().describe(`The API's address; ${PUSHOVER_API} by default.`),
    })
    .transform(
      (c): PushoverConfig => ({
        type: 'pushover',
        token: c.token,
        user: c.user,
        device: c.device ?? null,
        priority: c.priority ?? null,
        baseUrl: withoutSlash(c.baseUrl ?? PUSHOVER_API),
      }),
    );

export const pushoverChannel = defineChannel(
  schema,
  '{"type": "pushover", "token": "${PUSHOVER_TOKEN}", "user": "${PUSHOVER_USER}"}',
);
