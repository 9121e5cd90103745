/**
 * Schema pieces of the channels that call a provider's API (SMS, chat and push services): credentials
 * that are never quoted, the `baseUrl` that points a channel at a self-hosted server or a test's local
 * receiver, phone numbers and priorities.
 */

import * as z from 'zod';
import { hasControl } from '../util/control.js';
import { checkHttpUrl } from '../util/url.js';
import { expected } from '../util/wording.js';
import { secretExpected } from './fields.js';

const NOT_SHOWN = '(the value is not shown: it may be a secret)';

/**
 * A credential (token, key, SID): one word, never quoted in a message. `shape`, when given, is what the
 * provider's credentials look like, so that a value pasted wrongly is caught at start, not at 3 a.m.
 */
export function secret(what: string, example: string, shape?: { pattern: RegExp; described: string }) {
  const field = z
    .string({ error: secretExpected(`${what} such as "${example}"`) })
    .refine((t) => t !== '' && !/\s/.test(t) && !hasControl(t), {
      error: `${what} must be one word without spaces or control characters ${NOT_SHOWN}`,
    });
  if (shape === undefined) return field;
  return field.refine((t) => shape.pattern.test(t), {
    error: `expected ${what}: ${shape.described} ${NOT_SHOWN}`,
  });
}

/**
 * Where the provider's API is: its public address by default, or a server of your own (self-hosted
 * Gotify, Matrix, a proxy, a test's local receiver). Kept without a trailing slash; paths are added.
 */
export function baseUrl(example: string) {
  return z.string({ error: expected(`a URL string such as "${example}"`) }).superRefine((text, ctx) => {
    const problem = checkHttpUrl(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    else if (/[?#]/.test(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a base URL without a query or fragment, such as "${example}"`,
      });
    }
  });
}

export function withoutSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** E.164: "+", a country code and the number, 8 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export function phoneNumber(what: string) {
  return z.string({ error: expected(`${what} in E.164 form, such as "+15551234567"`) }).regex(E164, {
    error: expected(`${what} in E.164 form ("+", country code, number; no spaces), such as "+15551234567"`),
  });
}

/** A whole number in a range, by name of the setting. */
export function intIn(what: string, min: number, max: number) {
  return z
    .int({ error: expected(`${what}, a whole number from ${min} to ${max}`) })
    .min(min, {
      error: expected(`${what}, a whole number from ${min} to ${max}`),
    })
    .max(max, { error: expected(`${what}, a whole number from ${min} to ${max}`) });
}
