/**
 * The per-site options, which `defaults` and each site accept alike: method, timeout, statuses, headers,
 * redirects, retries, the watch thresholds and reminders, and the channels a site alerts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { z } from 'zod';
import { headerRecord } from '../channels/fields.js';
import { channelName } from '../channels/section.js';
import type { CheckOptions, StatusRange } from '../core/site.js';
import { didYouMean } from '../util/suggest.js';
import { expected } from '../util/wording.js';
import { durationAllowed, durationMs, durationMsOrNull } from './durations.js';
import { NUMBERS_NOTE, wholeNumber } from './numbers.js';

const method = z
  .enum(['HEAD', 'GET'], {
    error: (issue) => {
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, ['HEAD', 'GET']) : undefined;
      return expected('"HEAD" or "GET"')(issue) + (guess === undefined ? '' : `; did you mean "${guess}"?`);
    },
  })
  .describe('HTTP method. HEAD is cheaper; a HEAD refused with 405 or 501 is retried as GET.');

// No `i` flag: JSON Schema patterns cannot carry flags, and editors should accept "2XX" as we do.
const STATUS_TEXT = /^(?:[1-5]\d\d(?:-[1-5]\d\d)?|[1-5][xX]{2})$/;
const STATUS_ALLOWED =
  'a status code like 200, a range like "200-399" or a class like "2xx" (codes 100 to 599)';

/** "200" -> 200-200, "200-399", "2xx" -> 200-299; the text has already matched STATUS_TEXT. */
function statusRange(text: string): StatusRange {
  const [first = '', last = first] = text.split('-');
  if (/x/i.test(first)) return { min: Number(first[0]) * 100, max: Number(first[0]) * 100 + 99 };
  return { min: Number(first), max: Number(last) };
}

const statusEntry = z
  .union(
    [
      wholeNumber('a status code', 100, 599),
      z
        .string()
        .regex(STATUS_TEXT, { error: expected(STATUS_ALLOWED) })
        .transform((text, ctx) => {
          const range = statusRange(text);
          if (range.min > range.max) {
            ctx.issues.push({
              code: 'custom',
              input: text,
              message: `range "${text}" runs backwards: write the lower code first ("${range.max}-${range.min}")`,
            });
          }
          return range;
        }),
    ],
    { error: expected(STATUS_ALLOWED) },
  )
  .transform((entry): StatusRange => (typeof entry === 'number' ? { min: entry, max: entry } : entry));

const headers = headerRecord(expected('a header value string')).describe(
  "Extra request headers. Merged with the defaults by name, case-insensitively; a site's value wins. Values from ${VAR} are redacted in all output.",
);

// Reminders more often than once a minute would be a storm, not a reminder; a month is long enough.
const repeatAfter = durationMsOrNull({
  min: 60_000,
  max: 30 * 86_400_000,
  examples: '"30m", "4h" or "1d"',
  orNull: 'null for no reminders',
});

/** A timeout of one attempt; exported for the JSON Schema test and the README's wording. */
export const TIMEOUT_SPEC = { min: 1, max: 600_000, examples: '"500ms", "10s" or "2m"' } as const;

/**
 * Every per-site option, once. `defaults` and each site accept exactly these keys, the JSON Schema lists
 * them and normalize.ts merges them by spreading, so a new option is one line here (plus its type and
 * default in core/site.ts, which `satisfies` enforces).
 */
export const optionFields = {
  method,
  timeoutMs: durationMs(TIMEOUT_SPEC).describe(
    `Time allowed for ONE attempt of the check, redirects included. Accepts ${durationAllowed(TIMEOUT_SPEC)}; a bare number under 100 is refused as a likely slip for seconds ("50ms" means it). A timed-out attempt is retried like any other network failure (see retries), so the whole check takes at most (retries + 1) x timeoutMs plus a 500 ms pause before each retry: timeoutMs 10000 with retries 1 ends within 20.5 s. Default 10000; the command line's --timeout overrides it.`,
  ),
  expectStatus: z
    .array(statusEntry, { error: expected(`a list of statuses such as [200] or ["200-399", 404]`) })
    .min(1, { error: `the list is empty: give at least one status, such as [200] or ["2xx"]` })
    .describe('Statuses that count as up: codes (200), ranges ("200-399") or classes ("2xx").'),
  headers,
  maxRedirects: wholeNumber('a whole number of redirects', 0, 20).describe(
    `Redirects followed before the site counts as down (0 to 20).${NUMBERS_NOTE}`,
  ),
  retries: wholeNumber('a whole number of retries', 0, 10).describe(
    `Extra attempts after a network failure, a timeout or a 5xx before the site counts as down (0 to 10), each with its own timeoutMs, after a 500 ms pause. Default 1; the command line's --retries overrides it.${NUMBERS_NOTE}`,
  ),
  failureThreshold: wholeNumber('a whole number of sweeps', 1, 100).describe(
    `watch: consecutive failed sweeps before the site counts as down and a "down" event is raised (1 to 100, default 1: each check already retries).${NUMBERS_NOTE}`,
  ),
  successThreshold: wholeNumber('a whole number of sweeps', 1, 100).describe(
    `watch: consecutive successful sweeps before a down site counts as up and an "up" event is raised (1 to 100, default 1).${NUMBERS_NOTE}`,
  ),
  repeatAfter: repeatAfter.describe(
    'watch: while the site stays down, raise a "still-down" reminder this long after the last alert: "30m", "4h", "1d" or whole milliseconds (1m to 30d); null or absent for none.',
  ),
  notify: z
    .array(channelName, { error: expected('a list of channel names, such as ["ops-mail"]') })
    .describe(
      'watch: the channels that alert for this site, by name (keys of "channels"); all channels when absent, none with [].',
    ),
} satisfies { [K in keyof CheckOptions]: z.ZodType<CheckOptions[K]> };

/** `defaults`, and the options part of a site: every option may be left out. */
export const options = z.strictObject(optionFields).partial();
