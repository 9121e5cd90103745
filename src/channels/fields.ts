/**
 * Schema pieces the channels (and the config's heartbeat and site headers) share. Values of a channel are
 * often secrets (a Slack URL is the credential, an SMTP URL holds a password), so messages about them
 * never quote the value itself.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { hasControl } from '../util/control.js';
import { checkHttpUrl } from '../util/url.js';
import { describeValue, expected } from '../util/wording.js';

/** A value's type, without the value: what messages about secret-bearing fields show. */
export function typeOf(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  return describeValue(value);
}

export function secretExpected(allowed: string) {
  return (issue: { readonly input: unknown }): string =>
    issue.input === undefined
      ? `missing: expected ${allowed}`
      : `expected ${allowed}, found ${typeOf(issue.input)}`;
}

/** An http(s) URL whose text is never shown in a message (it is the channel's credential). */
export function secretHttpUrl(example: string) {
  return z.string({ error: secretExpected(`a URL string such as "${example}"`) }).superRefine((text, ctx) => {
    const problem = checkHttpUrl(text);
    if (problem !== null) {
      // checkHttpUrl quotes the URL redacted, but a webhook URL's path is the secret: say only what is wrong.
      const reason = problem
        .replace(/,? found ".*"(; did you mean .*)?$/, '')
        .replace(/ in ".*"$/, '')
        .replace('are checked', 'are allowed');
      ctx.addIssue({ code: 'custom', message: `${reason} (the value is not shown: it may be a secret)` });
    }
  });
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Request headers by name. `valueError` says what a value that is not a string gets: a site's headers
 * show it, a channel's (where tokens live) only its type.
 */
export function headerRecord(valueError: (issue: { readonly input: unknown }) => string) {
  return z.record(
    z.string().regex(HEADER_NAME, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a valid header name: use letters, digits and !#$%&'*+-.^_\`|~`,
    }),
    // A string value is never shown either: header values are where tokens live.
    z.string({ error: valueError }).refine((value) => !/[\r\n\0]/.test(value), {
      error: 'header value contains CR, LF or NUL, which would split the request: remove the line break',
    }),
    { error: expected('an object of header names to values, like {"Authorization": "Bearer ${TOKEN}"}') },
  );
}

export const headersField = () => headerRecord(secretExpected('a header value string'));

/** A non-empty, single-line string. */
export function text(what: string, max = 200) {
  return z
    .string({ error: expected(what) })
    .refine((t) => t.trim() !== '' && t.length <= max, {
      error: expected(`${what} of 1 to ${max} characters`),
    })
    .refine((t) => !hasControl(t), {
      error: `${what} must be one line without control characters`,
    });
}
