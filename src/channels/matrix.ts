/**
 * A Matrix channel's settings: the homeserver, the room (by id: the send API takes no alias) and an
 * access token of the account that posts (from ${VAR}). Sending is notify/matrix.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';
import { baseUrl, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export interface MatrixConfig {
  type: 'matrix';
  /** The homeserver's client-server API, such as https://matrix.example.org. */
  baseUrl: string;
  roomId: string;
  accessToken: string;
}

const ROOM_WORDS = 'a room id such as "!AbCdEf:example.org" (Room settings > Advanced; not a #alias)';

const schema = () =>
  z
    .strictObject({
      type: z.literal('matrix'),
      baseUrl: baseUrl('https://matrix.example.org').describe("The homeserver's address."),
      roomId: z
        .string({ error: expected(ROOM_WORDS) })
        .regex(/^![^\s:]+:\S+$/, { error: expected(ROOM_WORDS) })
        .describe('The room to post in, by id ("!...:server"); the account must have joined it.'),
      accessToken: secret('an access token', '${MATRIX_ACCESS_TOKEN}').describe(
        "The posting account's access token; keep it in an environment variable.",
      ),
    })
    .transform(
      (c): MatrixConfig => ({
        type: 'matrix',
        baseUrl: withoutSlash(c.baseUrl),
        roomId: c.roomId,
        accessToken: c.accessToken,
      }),
    );

export const matrixChannel = defineChannel(
  schema,
  '{"type": "matrix", "baseUrl": "https://matrix.example.org", "roomId": "!AbCdEfGh:example.org", "accessToken": "${MATRIX_ACCESS_TOKEN}"}',
);
