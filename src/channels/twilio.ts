/**
 * A Twilio SMS channel's settings: the account (SID and auth token, both from ${VAR}), the sender and
 * the one recipient. One recipient per channel, because Twilio's Messages API takes one `To` a request
 * and has no idempotency key: a list half sent when a request fails would text the first ones twice on
 * the retry. Sending is notify/twilio.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';
import { baseUrl, phoneNumber, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export interface TwilioConfig {
  type: 'twilio';
  accountSid: string;
  authToken: string;
  /** A phone number (E.164), a short code, an alphanumeric sender ID, or a Messaging Service SID (MG...). */
  from: string;
  to: string;
  baseUrl: string;
}

export const TWILIO_API = 'https://api.twilio.com';

/** What Twilio accepts as the sender: a number, a short code, an alphanumeric ID, a Messaging Service. */
const SENDER = /^(\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}|MG[0-9a-fA-F]{32})$/;

const SENDER_WORDS =
  'the sender: a Twilio number in E.164 form such as "+15557654321", a short code, an alphanumeric sender ID (1 to 11 letters, digits and spaces, one a letter) or a Messaging Service SID (MG...)';

const schema = () =>
  z
    .strictObject({
      type: z.literal('twilio'),
      accountSid: secret('an Account SID', '${TWILIO_ACCOUNT_SID}', {
        pattern: /^AC[0-9a-fA-F]{32}$/,
        described: '"AC" and 32 hexadecimal digits',
      }).describe('The Account SID (AC...); keep it in an environment variable.'),
      authToken: secret('an auth token', '${TWILIO_AUTH_TOKEN}').describe(
        'The auth token; keep it in an environment variable.',
      ),
      from: z
        .string({ error: expected(SENDER_WORDS) })
        .regex(SENDER, { error: expected(SENDER_WORDS) })
        .describe('Your Twilio number, short code, alphanumeric sender ID or Messaging Service SID.'),
      to: phoneNumber('the recipient').describe('The number that gets the text, such as "+15551234567".'),
      baseUrl: baseUrl(TWILIO_API).optional().describe(`The API's address; ${TWILIO_API} by default.`),
    })
    .transform(
      (c): TwilioConfig => ({
        type: 'twilio',
        accountSid: c.accountSid,
        authToken: c.authToken,
        from: c.from,
        to: c.to,
        baseUrl: withoutSlash(c.baseUrl ?? TWILIO_API),
      }),
    );

export const twilioChannel = defineChannel(
  schema,
  '{"type": "twilio", "accountSid": "${TWILIO_ACCOUNT_SID}", "authToken": "${TWILIO_AUTH_TOKEN}", "from": "+15557654321", "to": "+15551234567"}',
);
