/** The watch daemon's top-level sections of sites.json: the heartbeat URL and the scheduled summary. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl } from '../channels/fields.js';
import { channelName } from '../channels/section.js';
import type { HeartbeatConfig, SummaryConfig } from '../core/site.js';
import { checkSchedule } from '../util/cron.js';
import { once } from '../util/once.js';
import { isTimeZone } from '../util/window-time.js';
import { expected } from '../util/wording.js';
import { durationAllowed, durationMs } from './durations.js';

const HEARTBEAT_TIMEOUT = { min: 1, max: 60_000, examples: '"500ms" or "10s"' } as const;

export const heartbeat = once(() =>
  z
    .strictObject({
      url: secretHttpUrl('https://hc-ping.com/${HEARTBEAT_ID}').describe(
        "Requested after every sweep (a dead man's switch such as healthchecks.io notices when the requests stop).",
      ),
      method: z
        .enum(['GET', 'HEAD', 'POST'], { error: expected('"GET", "HEAD" or "POST"') })
        .optional()
        .describe('"GET" by default.'),
      timeoutMs: durationMs(HEARTBEAT_TIMEOUT)
        .optional()
        .describe(`Time allowed for the request: ${durationAllowed(HEARTBEAT_TIMEOUT)} (default 10000).`),
    })
    .transform(
      (h): HeartbeatConfig => ({ url: h.url, method: h.method ?? 'GET', timeoutMs: h.timeoutMs ?? 10_000 }),
    )
    .meta({ title: 'Heartbeat' })
    .describe(
      'watch: a URL requested after every sweep, so that an outside monitor notices when this one stops.',
    ),
);

export const summary = once(() =>
  z
    .strictObject({
      schedule: z
        .string({ error: expected('a cron expression such as "0 8 * * *"') })
        .superRefine((text, ctx) => {
          const problem = checkSchedule(text);
          if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
        })
        .describe('When to send it: a cron expression, such as "0 8 * * *" for 08:00 every day.'),
      channels: z
        .array(channelName, { error: expected('a list of channel names, such as ["ops-mail"]') })
        .optional()
        .describe('The channels that get it; all channels when absent.'),
      timeZone: z
        .string({ error: expected('an IANA time zone such as "Europe/Paris"') })
        .refine(isTimeZone, { error: (issue) => expected('an IANA time zone such as "Europe/Paris"')(issue) })
        .optional()
        .describe("The schedule's time zone; the system's by default."),
    })
    .transform(
      (s): SummaryConfig => ({
        schedule: s.schedule.trim(),
        channels: s.channels ?? null,
        timeZone: s.timeZone ?? null,
      }),
    )
    .meta({ title: 'Summary' })
    .describe('watch: a message with the last 24 hours of uptime per site, on a schedule.'),
);
