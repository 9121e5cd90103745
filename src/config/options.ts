/**
 * The per-site options, which `defaults` and each site accept alike: method, timeout, statuses, headers,
 * redirects, retries, the watch thresholds and reminders, the channels a site alerts, the address family
 * and proxy a check connects with, and the body it sends.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { headerRecord } from '../channels/fields.js';
import { channelName } from '../channels/section.js';
import type { ConfigProblem } from '../core/errors.js';
import { type CheckOptions, METHODS, type Method, type RequestBody, type StatusRange } from '../core/site.js';
import { once } from '../util/once.js';
import { redactUrl } from '../util/redact.js';
import { didYouMean } from '../util/suggest.js';
import { expected } from '../util/wording.js';
import { durationAllowed, durationMs, durationMsOrNull } from './durations.js';
import { certExpiry, expectSchema, maxBodyBytes } from './expect.js';
import { NUMBERS_NOTE, wholeNumber } from './numbers.js';
import { siteTls } from './site-tls.js';

const METHODS_TEXT = '"HEAD", "GET", "POST", "PUT" or "OPTIONS"';

const method = once(() =>
  z
    .enum(METHODS, {
      error: (issue) => {
        const guess = typeof issue.input === 'string' ? didYouMean(issue.input, [...METHODS]) : undefined;
        return expected(METHODS_TEXT)(issue) + (guess === undefined ? '' : `; did you mean "${guess}"?`);
      },
    })
    .describe(
      'HTTP method: HEAD (the default, cheapest), GET, or POST, PUT and OPTIONS for health endpoints that need them (they send "body"). A HEAD refused with 405 or 501 is retried as GET.',
    ),
);

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

const statusEntry = once(() =>
  z
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
    .transform((entry): StatusRange => (typeof entry === 'number' ? { min: entry, max: entry } : entry)),
);

const headers = once(() =>
  headerRecord(expected('a header value string')).describe(
    "Extra request headers. Merged with the defaults by name, case-insensitively; a site's value wins. Values from ${VAR} are redacted in all output.",
  ),
);

// Reminders more often than once a minute would be a storm, not a reminder; a month is long enough.
const repeatAfter = once(() =>
  durationMsOrNull({
    min: 60_000,
    max: 30 * 86_400_000,
    examples: '"30m", "4h" or "1d"',
    orNull: 'null for no reminders',
  }),
);

/** watch: a site's own check interval; exported for the JSON Schema test and the README's wording. */
export const INTERVAL_SPEC = { min: 10_000, max: 86_400_000, examples: '"30s", "1m" or "1h"' } as const;

// Whole seconds: the scheduler starts checks on second boundaries (watch/plan.ts), so every slot of a
// site is the same distance from the next and nothing drifts.
const interval = once(() =>
  durationMs(INTERVAL_SPEC)
    .refine((ms) => ms % 1000 === 0, {
      error: (issue) =>
        `expected a whole number of seconds, such as "30s" or "90s", found ${String(issue.input)} ms`,
    })
    .describe(
      `watch: check this site on its own interval instead of on --schedule: ${durationAllowed(INTERVAL_SPEC)}, in whole seconds. Sites are spread over their interval by a fixed offset per site (not all at :00), and a site is never checked again while its previous check runs. Absent: the site follows --schedule (every 5 minutes by default).`,
    ),
);

const ipFamily = once(() =>
  z
    .literal([4, 6], { error: expected('4 or 6') })
    .describe(
      'Connect over IPv4 (4) or IPv6 (6) only. Absent: every address of the name, IPv6 first with a 250 ms head start, then IPv4 (Happy Eyeballs, as browsers and curl do). To check each family of a dual-stack site, list it twice.',
    ),
);

const PROXY_EXAMPLE = '"http://proxy.example:3128"';

/** Why a proxy URL cannot be used, or null; the URL may hold a password, so it is shown masked. */
function proxyProblem(text: string): string | null {
  const shown = JSON.stringify(redactUrl(text).replace(/^[^/]*@/, '***@'));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return `expected an http:// proxy URL such as ${PROXY_EXAMPLE}, found ${shown}`;
  if (scheme !== 'http') {
    return `only http:// proxies are supported (HTTPS sites go through them by CONNECT), found ${scheme}://`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `expected an http:// proxy URL such as ${PROXY_EXAMPLE}, found ${shown}`;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return `a proxy URL has no path, query or fragment: write http://[user:password@]host:port, found ${shown}`;
  }
  return null;
}

const proxy = once(() =>
  z
    .string({ error: expected(`an http:// proxy URL such as ${PROXY_EXAMPLE}, or null`) })
    .superRefine((text, ctx) => {
      const problem = proxyProblem(text);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .nullable()
    .describe(
      'An http:// proxy for this site, such as "http://user:${PROXY_PASS}@proxy.example:3128" (https sites go through it by CONNECT and their certificate is still verified); null to connect directly whatever the environment says. Absent: HTTP_PROXY, HTTPS_PROXY and NO_PROXY decide, as for curl. Credentials are masked in all output.',
    ),
);

/** The largest body a check sends: health endpoints take a few bytes of JSON, not uploads. */
const MAX_BODY_BYTES = 64 * 1024;

const body = once(() =>
  z
    .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
      error: expected('a string, or a JSON object or array'),
    })
    .transform(
      (value): RequestBody =>
        typeof value === 'string'
          ? { text: value, contentType: 'text/plain; charset=utf-8' }
          : { text: JSON.stringify(value), contentType: 'application/json' },
    )
    .refine((b) => Buffer.byteLength(b.text) <= MAX_BODY_BYTES, {
      error: `the body is over ${MAX_BODY_BYTES / 1024} KiB; a check sends a small request`,
    })
    .describe(
      'The request body, sent with method POST, PUT or OPTIONS (refused with HEAD or GET): a string, sent as text/plain; charset=utf-8, or a JSON object or array, sent as application/json; a "Content-Type" in headers wins. ${VAR} is replaced in its strings. At most 64 KiB.',
    ),
);

const statusList = once(() =>
  z
    .array(statusEntry(), { error: expected(`a list of statuses such as [200] or ["200-399", 404]`) })
    .min(1, { error: `the list is empty: give at least one status, such as [200] or ["2xx"]` }),
);

/** A timeout of one attempt; exported for the JSON Schema test and the README's wording. */
export const TIMEOUT_SPEC = { min: 1, max: 600_000, examples: '"500ms", "10s" or "2m"' } as const;

/**
 * Every per-site option, once. `defaults` and each site accept exactly these keys, the JSON Schema lists
 * them and normalize.ts merges them by spreading, so a new option is one line here (plus its type and
 * default in core/site.ts, which `satisfies` enforces).
 */
export const optionFields = once(
  () =>
    ({
      method: method(),
      timeoutMs: durationMs(TIMEOUT_SPEC).describe(
        `Time allowed for ONE attempt of the check, redirects included. Accepts ${durationAllowed(TIMEOUT_SPEC)}; a bare number under 100 is refused as a likely slip for seconds ("50ms" means it). A timed-out attempt is retried like any other network failure (see retries), so the whole check takes at most (retries + 1) x timeoutMs plus a 500 ms pause before each retry: timeoutMs 10000 with retries 1 ends within 20.5 s. Default 10000; the command line's --timeout overrides it.`,
      ),
      expectStatus: statusList().describe(
        'Statuses that count as up: codes (200), ranges ("200-399") or classes ("2xx"). Also expect.status.',
      ),
      headers: headers(),
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
      repeatAfter: repeatAfter().describe(
        'watch: while the site stays down, raise a "still-down" reminder this long after the last alert: "30m", "4h", "1d" or whole milliseconds (1m to 30d); null or absent for none.',
      ),
      interval: interval(),
      notify: z
        .array(channelName, { error: expected('a list of channel names, such as ["ops-mail"]') })
        .describe(
          'watch: the channels that alert for this site, by name (keys of "channels"); all channels when absent, none with [].',
        ),
      ipFamily: ipFamily(),
      proxy: proxy(),
      body: body(),
      expect: expectSchema(statusList()),
      maxBodyBytes: maxBodyBytes(),
      certExpiry: certExpiry(),
      tls: siteTls(),
    }) satisfies { [K in keyof CheckOptions]: z.ZodType<CheckOptions[K]> },
);

/** `defaults`, and the options part of a site: every option may be left out. */
export const options = once(() => z.strictObject(optionFields()).partial());

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SENDS_BODY: ReadonlySet<Method> = new Set(['POST', 'PUT', 'OPTIONS']);

/**
 * A body with HEAD or GET, seen on each site once `defaults` applies (the schema sees one object at a
 * time). Read from the raw config, so that it is reported together with every other problem.
 */
export function bodyMethodProblems(raw: unknown): ConfigProblem[] {
  if (!isObject(raw) || !Array.isArray(raw.sites)) return [];
  const defaults = isObject(raw.defaults) ? raw.defaults : {};
  return raw.sites.flatMap((site, i): ConfigProblem[] => {
    const own = isObject(site) ? site : {};
    const methodValue = own.method ?? defaults.method ?? 'HEAD';
    const hasBody = (own.body ?? defaults.body) !== undefined && (own.body ?? defaults.body) !== null;
    if (
      !hasBody ||
      typeof methodValue !== 'string' ||
      !(METHODS as readonly string[]).includes(methodValue)
    ) {
      return [];
    }
    if (SENDS_BODY.has(methodValue as Method)) return [];
    const from = own.body === undefined ? ' (from defaults)' : '';
    const why = own.method === undefined && defaults.method === undefined ? ' (the default)' : '';
    return [
      {
        path: own.body === undefined ? `sites[${i}]` : `sites[${i}].body`,
        message: `a body${from} is sent only with method POST, PUT or OPTIONS; this site's method is ${methodValue}${why}: set "method"`,
      },
    ];
  });
}
