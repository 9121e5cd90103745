/** A generic webhook's settings: where the JSON goes, with which method and extra headers. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { headersField, secretHttpUrl } from './fields.js';
import { defineChannel } from './spec.js';

export interface WebhookConfig {
  type: 'webhook';
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('webhook'),
      url: secretHttpUrl('https://hooks.example.com/uptime').describe('Where the JSON is sent.'),
      method: z
        .enum(['POST', 'PUT'], { error: 'expected "POST" or "PUT"' })
        .optional()
        .describe('"POST" (default) or "PUT".'),
      headers: headersField()
        .optional()
        .describe('Extra request headers, such as {"Authorization": "Bearer ${TOKEN}"}.'),
    })
    .transform(
      (c): WebhookConfig => ({
        type: 'webhook',
        url: c.url,
        method: c.method ?? 'POST',
        headers: c.headers ?? {},
      }),
    );

export const webhookChannel = defineChannel(
  schema,
  '{"type": "webhook", "url": "https://hooks.example.com/uptime", "headers": {"Authorization": "Bearer ${TOKEN}"}}',
);
