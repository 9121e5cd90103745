/**
 * A PagerDuty channel's settings: the Events API v2 integration key (`routingKey`, the credential), the
 * severity its alerts carry, and `baseUrl` (the Events API's address; a test's local receiver). Sending
 * is notify/pagerduty.ts: one event per site, deduplicated by PagerDuty with the site's key.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { baseUrl, secret, withoutSlash } from './api-fields.js';
import { defineChannel } from './spec.js';

export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

export interface PagerDutyConfig {
  type: 'pagerduty';
  routingKey: string;
  /** The severity of a site's alert; the monitor being offline is always `warning`. */
  severity: (typeof PAGERDUTY_SEVERITIES)[number];
  /** Without a trailing slash; `/v2/enqueue` is added. */
  baseUrl: string;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('pagerduty'),
      routingKey: secret('an Events API v2 integration key', '${PAGERDUTY_ROUTING_KEY}', {
        // PagerDuty's integration (and ruleset) keys are 32 characters; anything else is refused with a 400.
        pattern: /^[A-Za-z0-9]{32}$/,
        described: '32 letters and digits, the "Integration Key" of an Events API v2 integration',
      }).describe('The integration key of an Events API v2 integration; keep it in an environment variable.'),
      severity: z
        .enum(PAGERDUTY_SEVERITIES, { error: 'expected "critical", "error", "warning" or "info"' })
        .optional()
        .describe('The severity of a site\'s alert: "critical" (default), "error", "warning" or "info".'),
      baseUrl: baseUrl('https://events.pagerduty.com')
        .optional()
        .describe(
          'The Events API address (default https://events.pagerduty.com; EU accounts may use https://events.eu.pagerduty.com).',
        ),
    })
    .transform(
      (c): PagerDutyConfig => ({
        type: 'pagerduty',
        routingKey: c.routingKey,
        severity: c.severity ?? 'critical',
        baseUrl: withoutSlash(c.baseUrl ?? 'https://events.pagerduty.com'),
      }),
    );

export const pagerdutyChannel = defineChannel(
  schema,
  '{"type": "pagerduty", "routingKey": "${PAGERDUTY_ROUTING_KEY}"}',
);
