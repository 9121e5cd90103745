/**
 * The `maintenance` section (planned windows during which sites are checked but nobody is paged) and the
 * top-level `timezone` (of `--schedule`, the windows and the summary). watch/ applies the windows; this
 * file only reads them. A window is recurring (`every` + `duration`) or one-off (`start` + `end`).
 */

import * as z from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { checkSchedule } from '../util/cron.js';
import { once } from '../util/once.js';
import { isTimeZone } from '../util/window-time.js';
import { expected } from '../util/wording.js';
import { durationAllowed, durationMs } from './durations.js';
import { unknownSites } from './status-sections.js';
import type { MaintenanceWindow } from './types.js';

const ZONE = 'an IANA time zone such as "Europe/Berlin"';
export const timeZone = z
  .string({ error: expected(ZONE) })
  .refine(isTimeZone, { error: (issue) => expected(ZONE)(issue) });

const DURATION = { min: 1000, max: 31 * 86_400_000, examples: '"30m", "2h" or "1d"' } as const;
const INSTANT =
  'an ISO-8601 time with an offset, such as "2026-12-24T22:00:00Z" or "2026-12-24T23:00:00+01:00"';
// The offset is required: a time without one would mean whatever zone the monitor happens to run in.
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const instant = once(() =>
  z
    .string({ error: expected(INSTANT) })
    .refine((text) => WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text)), {
      error: (issue) => expected(INSTANT)(issue),
    }),
);

const windowObject = once(() =>
  z
    .strictObject({
      name: z
        .string({ error: expected('a non-empty string') })
        .refine((text) => text.trim() !== '', { error: expected('a non-empty string') })
        .describe('What the window is for; logs and messages name it.'),
      sites: z
        .array(z.string({ error: expected('a site name or URL') }), {
          error: expected('a list of site names or URLs'),
        })
        .optional()
        .describe('The sites it covers, by name, URL as written, or id; every site when absent.'),
      every: z
        .string({ error: expected('a cron expression such as "0 2 * * *"') })
        .superRefine((text, ctx) => {
          const problem = checkSchedule(text);
          if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional()
        .describe(
          'Recurring: when each occurrence starts, a cron expression such as "0 2 * * *" (02:00 daily).',
        ),
      duration: durationMs(DURATION)
        .optional()
        .describe(`Recurring: how long each occurrence lasts: ${durationAllowed(DURATION)}.`),
      timezone: timeZone
        .optional()
        .describe(
          'Recurring: the time zone of `every`; the config\'s "timezone" (else the system\'s) by default.',
        ),
      start: instant().optional().describe(`One-off: when it starts, ${INSTANT}.`),
      end: instant().optional().describe('One-off: when it ends (after the start), with an offset too.'),
    })
    .superRefine((w, ctx) => {
      const recurring = w.every !== undefined || w.duration !== undefined || w.timezone !== undefined;
      const oneOff = w.start !== undefined || w.end !== undefined;
      const need = (key: string, what: string) =>
        ctx.addIssue({ code: 'custom', path: [key], message: `missing: expected ${what}` });
      if (recurring && oneOff) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'a window is either recurring ("every" and "duration") or one-off ("start" and "end"), not both',
        });
      } else if (!recurring && !oneOff) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'give "every" and "duration" (a recurring window) or "start" and "end" (a one-off window)',
        });
      } else if (recurring) {
        if (w.every === undefined) need('every', 'a cron expression such as "0 2 * * *"');
        if (w.duration === undefined) need('duration', durationAllowed(DURATION));
      } else if (w.start === undefined) need('start', INSTANT);
      else if (w.end === undefined) need('end', INSTANT);
      else if (Date.parse(w.end) <= Date.parse(w.start)) {
        ctx.addIssue({
          code: 'custom',
          path: ['end'],
          message: `the end (${w.end}) is not after the start (${w.start})`,
        });
      }
    })
    .transform(
      (w): MaintenanceWindow => ({
        name: w.name.trim(),
        sites: w.sites ?? null,
        time:
          w.every !== undefined
            ? { every: w.every.trim(), durationMs: w.duration ?? 0, timeZone: w.timezone ?? null }
            : { start: Date.parse(w.start ?? ''), end: Date.parse(w.end ?? '') },
      }),
    )
    .meta({ title: 'Maintenance window' }),
);

export const maintenance = once(() =>
  z
    .array(windowObject(), { error: expected('a list of maintenance windows') })
    .describe(
      'watch: planned windows: the sites are checked, their results kept and marked "maintenance", but no down, up, degraded or certificate event is raised for them; one that is down when the window ends gets its down then.',
    ),
);

/** The keys a window may have, for the "unknown key" problems. */
export const windowKeys = (): string[] => Object.keys(windowObject().in.shape);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `maintenance[i].sites` entry that names no site of the config. */
export function unknownWindowSites(raw: unknown): ConfigProblem[] {
  if (!isObject(raw) || !Array.isArray(raw.maintenance)) return [];
  return raw.maintenance.flatMap((w, i) =>
    isObject(w) ? unknownSites(raw, ['maintenance', i, 'sites'], w.sites) : [],
  );
}
