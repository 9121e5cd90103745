/**
 * An ntfy channel's settings: the topic URL (server and topic in one, as ntfy shows it), an access token
 * and the priority. The topic is split off here, so the sender publishes JSON to the server's root.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretExpected, secretHttpUrl } from './fields.js';
import { defineChannel } from './spec.js';

export interface NtfyConfig {
  type: 'ntfy';
  /** The server's base URL with a trailing slash, where JSON is published. */
  server: string;
  topic: string;
  token: string | null;
  /** 1 (min) to 5 (max); null: 4 when something is down, 3 otherwise. */
  priority: number | null;
}

const PRIORITIES = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 } as const;

/** `https://ntfy.sh/my-topic` -> server `https://ntfy.sh/`, topic `my-topic`; null without a topic. */
export function splitTopicUrl(url: string): { server: string; topic: string } | null {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/');
  const topic = segments.pop() ?? '';
  if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic) || parsed.search !== '') return null;
  parsed.pathname = `${segments.join('/')}/`;
  parsed.hash = '';
  return { server: parsed.href, topic };
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('ntfy'),
      url: secretHttpUrl('https://ntfy.sh/my-topic').describe(
        'The topic URL: the server and the topic, such as "https://ntfy.sh/${NTFY_TOPIC}".',
      ),
      token: z
        .string({ error: secretExpected('an access token string, such as "${NTFY_TOKEN}"') })
        .optional()
        .describe('An access token, for servers or topics that require one.'),
      priority: z
        .union([z.int().min(1).max(5), z.enum(['min', 'low', 'default', 'high', 'max', 'urgent'])], {
          error: 'expected a priority from 1 to 5 or one of "min", "low", "default", "high", "max"',
        })
        .optional()
        .describe('Message priority; by default high when something is down, default otherwise.'),
    })
    .transform((c, ctx): NtfyConfig => {
      const split = splitTopicUrl(c.url);
      if (split === null) {
        ctx.issues.push({
          code: 'custom',
          input: c.url,
          path: ['url'],
          message:
            'expected a topic URL ending in the topic name (letters, digits, - and _, no query), such as "https://ntfy.sh/my-topic"',
        });
        return z.NEVER;
      }
      const priority =
        c.priority === undefined
          ? null
          : typeof c.priority === 'number'
            ? c.priority
            : PRIORITIES[c.priority];
      return { type: 'ntfy', ...split, token: c.token ?? null, priority };
    });

export const ntfyChannel = defineChannel(schema, '{"type": "ntfy", "url": "https://ntfy.sh/${NTFY_TOPIC}"}');
