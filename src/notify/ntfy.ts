/**
 * ntfy (https://ntfy.sh or a server of your own): push to a phone. Published as JSON to the server's
 * root URL, so the title travels in the body and never in a header.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { z } from 'zod';
import { secretExpected, secretHttpUrl } from './fields.js';
import { postJson } from './http.js';
import type { Message } from './message.js';
import { fitLines } from './text.js';
import type { Channel, Notifier } from './types.js';

export interface NtfyConfig {
  type: 'ntfy';
  /** The server's base URL with a trailing slash, where JSON is published. */
  server: string;
  topic: string;
  token: string | null;
  /** 1 (min) to 5 (max); null: 4 when something is down, 3 otherwise. */
  priority: number | null;
}

// ntfy keeps messages up to 4,096 bytes; characters can take up to 3 bytes in UTF-8.
const MAX_BYTES = 4000;
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

const schema = z
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
      c.priority === undefined ? null : typeof c.priority === 'number' ? c.priority : PRIORITIES[c.priority];
    return { type: 'ntfy', ...split, token: c.token ?? null, priority };
  });

function bodyText(message: Message): string {
  const lines: string[] = [];
  if (message.note !== null) lines.push(`Note: ${message.note}`);
  if (message.intro !== null) lines.push(message.intro);
  for (const section of message.sections) {
    lines.push(section.heading);
    for (const item of section.items) lines.push(`- ${item.label}: ${item.detail}`);
  }
  // Characters first (cheap), then bytes: a line of emoji takes four bytes a character.
  let budget = MAX_BYTES;
  let out = fitLines(lines, budget);
  while (Buffer.byteLength(out) > MAX_BYTES && budget > 100) {
    budget = Math.floor(budget * 0.8);
    out = fitLines(lines, budget);
  }
  return out || message.title;
}

export function ntfyPayload(message: Message, config: NtfyConfig): string {
  const counts = message.data.kind === 'events' ? message.data.counts : null;
  const alarming = counts !== null && counts.down + counts.stillDown + counts.monitorOffline > 0;
  return JSON.stringify({
    topic: config.topic,
    title: `uptime-squirrel: ${message.title}`,
    message: bodyText(message),
    priority: config.priority ?? (alarming ? 4 : 3),
    tags: [alarming ? 'rotating_light' : message.kind === 'events' ? 'white_check_mark' : 'squirrel'],
  });
}

export const ntfyNotifier: Notifier<NtfyConfig> = {
  schema,
  keys: ['type', 'url', 'token', 'priority'],
  example: '{"type": "ntfy", "url": "https://ntfy.sh/${NTFY_TOPIC}"}',
  create(name, config): Channel {
    return {
      name,
      type: 'ntfy',
      secrets: [`${config.server}${config.topic}`, ...(config.token === null ? [] : [config.token])],
      send: (message, ctx) =>
        postJson(config.server, ntfyPayload(message, config), ctx, {
          what: 'ntfy server',
          headers: config.token === null ? {} : { authorization: `Bearer ${config.token}` },
        }),
    };
  },
};
