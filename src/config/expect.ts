/**
 * The response assertions (`expect`), the body cap they read within (`maxBodyBytes`) and the certificate
 * warnings (`certExpiry`): per site or in `defaults`, like every option. A pattern or JSON path that cannot
 * run is a problem at load, with its path, never a surprise at the first check.
 */

import * as z from 'zod';
import type { CertExpiry, Expect, StatusRange, ValueCheck } from '../core/site.js';
import { once } from '../util/once.js';
import { jsonPathProblem, regexProblem } from '../util/pattern.js';
import { describeValue, expected } from '../util/wording.js';
import { durationAllowed, durationMs } from './durations.js';
import { NUMBERS_NOTE, wholeNumber } from './numbers.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const pattern = once(() =>
  z
    .string({ error: expected('a regular expression string, such as "^2\\\\.\\\\d+"') })
    .superRefine((source, ctx) => {
      const problem = regexProblem(source);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    }),
);

const texts = (what: string) =>
  z
    .union(
      [
        z.string().min(1, { error: `an empty string ${what} everything` }),
        z.array(z.string().min(1, { error: `an empty string ${what} everything` })).min(1),
      ],
      { error: expected('a non-empty string or a list of them') },
    )
    .transform((value) => (typeof value === 'string' ? [value] : value));

/**
 * A JSON value to compare with, or `{ "matches": regex }`, or `{ "exists": true | false }`: an object
 * whose only key is `matches` or `exists` is the assertion, any other value is compared as it is.
 */
function toValueCheck(value: unknown, ctx: z.RefinementCtx): ValueCheck {
  if (isObject(value) && Object.keys(value).length === 1) {
    if ('matches' in value) {
      const problem = typeof value.matches === 'string' ? regexProblem(value.matches) : null;
      if (typeof value.matches !== 'string' || problem !== null) {
        ctx.issues.push({
          code: 'custom',
          input: value.matches,
          path: ['matches'],
          message: problem ?? `expected a regular expression string, found ${describeValue(value.matches)}`,
        });
        return z.NEVER;
      }
      return { matches: value.matches };
    }
    if ('exists' in value) {
      if (typeof value.exists !== 'boolean') {
        ctx.issues.push({
          code: 'custom',
          input: value.exists,
          path: ['exists'],
          message: `expected true or false, found ${describeValue(value.exists)}`,
        });
        return z.NEVER;
      }
      return { exists: value.exists };
    }
  }
  return { equals: value };
}

const valueCheck = once(() => z.unknown().transform(toValueCheck));

const jsonChecks = once(() =>
  z
    .record(z.string(), valueCheck(), {
      error: expected('an object of JMESPath expressions and what each must be'),
    })
    .superRefine((record, ctx) => {
      for (const path of Object.keys(record)) {
        const problem = jsonPathProblem(path);
        if (problem !== null) ctx.addIssue({ code: 'custom', path: [path], message: problem });
      }
      if (Object.keys(record).length === 0)
        ctx.addIssue({ code: 'custom', message: 'no paths: give at least one' });
    }),
);

const headerCheck = once(() =>
  z
    .union(
      [z.string(), z.object({ matches: z.string() }).strict(), z.object({ exists: z.boolean() }).strict()],
      {
        error: expected('a header value string, { "matches": regex } or { "exists": true | false }'),
      },
    )
    .transform(toValueCheck),
);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headerChecks = once(() =>
  z
    .record(z.string(), headerCheck(), { error: expected('an object of header names and values') })
    .superRefine((record, ctx) => {
      for (const name of Object.keys(record)) {
        if (!HEADER_NAME.test(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${JSON.stringify(name)} is not a header name`,
          });
        }
      }
    })
    .transform((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]))),
);

export const MAX_RESPONSE_SPEC = { min: 1, max: 600_000, examples: '"500ms", "2s"' } as const;

/** `expect` as the config gives it: the assertions, and `status` (an alias of expectStatus). */
export type ExpectInput = Expect & { status?: StatusRange[] };

/** The `expect` key; `statuses` is expectStatus's own schema, which `status` shares. */
export function expectSchema(statuses: z.ZodType<StatusRange[]>) {
  return z
    .strictObject({
      status: statuses
        .optional()
        .describe(
          'Statuses that count as up, as expectStatus (which stays as an alias); give one of the two.',
        ),
      bodyContains: texts('is in')
        .optional()
        .describe('Text the body must contain: one string, or a list (each).'),
      bodyNotContains: texts('is in')
        .optional()
        .describe('Text the body must not contain: one string, or a list (any one fails the check).'),
      bodyMatches: pattern()
        .optional()
        .describe(
          'A regular expression the body must match somewhere. RE2 syntax (no lookarounds or backreferences), run in linear time; (?i) for case-insensitive.',
        ),
      json: jsonChecks()
        .optional()
        .describe(
          'JMESPath expressions into the body parsed as JSON ("$.status", "data.items[0].id", "checks[?name==\'db\'].ok | [0]"), each with the value it must have, { "matches": regex } or { "exists": true | false }.',
        ),
      headers: headerChecks()
        .optional()
        .describe(
          'Response headers by name (any case): the value it must have (exactly, spaces around it aside), { "matches": regex } or { "exists": true | false }.',
        ),
      maxResponseMs: durationMs(MAX_RESPONSE_SPEC)
        .optional()
        .describe(
          `A response slower than this (the final attempt, redirects and body included) is up but degraded: marked in check, a "degraded" event in watch. ${durationAllowed(MAX_RESPONSE_SPEC)}; at most the site's timeoutMs.`,
        ),
    })
    .describe(
      'Assertions on the response. Body assertions make the check a GET (never HEAD), read at most maxBodyBytes (gzip, deflate and br decoded, the charset honoured) within the timeout; a failed one is down with kind "assertion".',
    ) satisfies z.ZodType<ExpectInput>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const maxBodyBytes = once(() =>
  wholeNumber('a whole number of bytes', 1024, 64 * 1024 * 1024).describe(
    `The most body bytes read for expect's body assertions, after decompression (1024 to 67108864; default 1048576, 1 MiB). A larger body fails the check, saying so.${NUMBERS_NOTE}`,
  ),
);

export const certExpiry = once(
  () =>
    z
      .strictObject({
        warnDays: z
          .array(wholeNumber('a whole number of days', 1, 365), {
            error: expected('a list of days, such as [30, 14, 7, 1]'),
          })
          .transform((days) => [...new Set(days)].sort((a, b) => b - a))
          .describe('Days before the expiry at which to warn, such as [30, 14, 7, 1]; [] for never.'),
      })
      .describe(
        'https: warn about a certificate close to its expiry. check marks it (exit 0 unless --fail-on cert); watch raises one "cert-expiring" event per certificate and threshold crossed, and "cert-renewed" once a certificate past every threshold is served. Default { "warnDays": [30, 14, 7, 1] }.',
      ) satisfies z.ZodType<CertExpiry>,
);
