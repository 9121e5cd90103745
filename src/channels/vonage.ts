/**
 * A Vonage (formerly Nexmo) SMS channel's settings: the API key and secret (from ${VAR}), the sender and
 * the one recipient (one per channel, for the reason twilio.ts gives). Sending is notify/vonage.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';
import { baseUrl, phoneNumber, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export interface VonageConfig {
  type: 'vonage';
  apiKey: string;
  apiSecret: string;
  /** A number in international form without "+", or an alphanumeric sender ID. */
  from: string;
  to: string;
  baseUrl: string;
}

export const VONAGE_API = 'https://rest.nexmo.com';

const SENDER_WORDS =
  'the sender: a Vonage number such as "+15557654321" or an alphanumeric sender ID (1 to 11 letters, digits and spaces, one a letter)';

const schema = () =>
  z
    .strictObject({
      type: z.literal('vonage'),
      apiKey: secret('an API key', '${VONAGE_API_KEY}').describe(
        'The API key; keep it in an environment variable.',
      ),
      apiSecret: secret('an API secret', '${VONAGE_API_SECRET}').describe(
        'The API secret; keep it in an environment variable.',
      ),
      from: z
        .string({ error: expected(SENDER_WORDS) })
        .regex(/^(\+?[1-9]\d{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/, { error: expected(SENDER_WORDS) })
        .describe('Your Vonage number or an alphanumeric sender ID.'),
      to: phoneNumber('the recipient').describe('The number that gets the text, such as "+15551234567".'),
      baseUrl: baseUrl(VONAGE_API).optional().describe(`The API's address; ${VONAGE_API} by default.`),
    })
    .transform(
      (c): VonageConfig => ({
        type: 'vonage',
        apiKey: c.apiKey,
        apiSecret: c.apiSecret,
        // Vonage wants numbers in international form without the "+".
        from: c.from.replace(/^\+/, ''),
        to: c.to.replace(/^\+/, ''),
        baseUrl: withoutSlash(c.baseUrl ?? VONAGE_API),
      }),
    );

export const vonageChannel = defineChannel(
  schema,
  '{"type": "vonage", "apiKey": "${VONAGE_API_KEY}", "apiSecret": "${VONAGE_API_SECRET}", "from": "Squirrel", "to": "+447700900000"}',
);
