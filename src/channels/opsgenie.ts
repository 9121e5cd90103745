/**
 * An Opsgenie channel's settings: the API integration's key (`apiKey`, sent as `GenieKey`), the priority
 * of its alerts, extra tags, and `baseUrl` (https://api.eu.opsgenie.com for EU accounts; a test's local
 * receiver). Sending is notify/opsgenie.ts: an alert per site, created and closed by its alias.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';
import { baseUrl, secret, withoutSlash } from './api-fields.js';
import { text } from './fields.js';
import { defineChannel } from './spec.js';

export const OPSGENIE_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

export interface OpsgenieConfig {
  type: 'opsgenie';
  apiKey: string;
  /** The priority of a site's alert; the monitor being offline is always P3. */
  priority: (typeof OPSGENIE_PRIORITIES)[number];
  tags: string[];
  /** Without a trailing slash; `/v2/alerts` is added. */
  baseUrl: string;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('opsgenie'),
      apiKey: secret('the API key of an Opsgenie API integration', '${OPSGENIE_API_KEY}').describe(
        'The API key of an API integration (sent as "Authorization: GenieKey ..."); keep it in an environment variable.',
      ),
      priority: z
        .enum(OPSGENIE_PRIORITIES, { error: 'expected "P1", "P2", "P3", "P4" or "P5"' })
        .optional()
        .describe('The priority of a site\'s alert, "P1" (highest) to "P5"; "P2" by default.'),
      tags: z
        .array(text('a tag', 50), { error: expected('a list of tags, such as ["web", "uptime"]') })
        .max(20, { error: 'at most 20 tags' })
        .optional()
        .describe('Tags added to every alert, beside "uptime-squirrel".'),
      baseUrl: baseUrl('https://api.opsgenie.com')
        .optional()
        .describe('The API address: https://api.opsgenie.com (default) or https://api.eu.opsgenie.com.'),
    })
    .transform(
      (c): OpsgenieConfig => ({
        type: 'opsgenie',
        apiKey: c.apiKey,
        priority: c.priority ?? 'P2',
        tags: c.tags ?? [],
        baseUrl: withoutSlash(c.baseUrl ?? 'https://api.opsgenie.com'),
      }),
    );

export const opsgenieChannel = defineChannel(schema, '{"type": "opsgenie", "apiKey": "${OPSGENIE_API_KEY}"}');
