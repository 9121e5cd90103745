/**
 * The site's `expect` assertions on a response whose status was expected: its headers, its body (read by
 * body.ts) and the JSON in it. Each assertion that ran is reported, passed or failed; the first failure is
 * the verdict (kind `assertion`), worded with what was found, shortened and without control characters,
 * since it quotes what a server sent.
 */

import type { AssertionResult } from '../core/result.js';
import { readsBody, type Site, type ValueCheck } from '../core/site.js';
import { CONTROL } from '../util/control.js';
import { regexFinds, searchJson } from '../util/pattern.js';
import { BodyReader, formatBytes, headerMap, type ResponseHeaders } from './body.js';
import type { Verdict } from './classify.js';

/** JSON nested deeper than this is refused before it is parsed: no real health document comes close. */
export const MAX_JSON_DEPTH = 256;

/** What the probe keeps of a response the assertions will judge. */
export interface Capture {
  headers: ResponseHeaders;
  /** The body being read; null when no assertion needs it. */
  body: BodyReader | null;
}

/**
 * For send.ts: what to keep of a response with this status and head, or null for a response that will
 * not be judged (a redirect, an unexpected status).
 */
export type CaptureFn = (status: number, rawHeaders: ReadonlyArray<Buffer | string>) => Capture | null;

/**
 * What send.ts keeps of the final response for `site`'s assertions. Reading the body, the request offers
 * the encodings body.ts decodes, as browsers do (unless the site's headers say otherwise).
 */
export function captureFor(
  site: Site,
  request: Record<string, string>,
  judged: (status: number) => boolean,
): CaptureFn {
  const withBody = readsBody(site.expect);
  if (withBody) request['accept-encoding'] ??= 'gzip, deflate, br';
  return (status, rawHeaders) => {
    if (!judged(status)) return null;
    const headers = headerMap(rawHeaders);
    return { headers, body: withBody ? new BodyReader(headers, site.maxBodyBytes) : null };
  };
}

/** Text from a server made fit for a message: one line, at most `max` characters. */
export function excerpt(text: string, max = 60): string {
  const line = text.slice(0, max * 4).replace(CONTROL, ' ');
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A JSON value in a message: `"ok"`, `3`, `{"a":1…`. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  return excerpt(JSON.stringify(value) ?? String(value), 80);
}

const slashed = (pattern: string) => `/${excerpt(pattern, 80)}/`;

function deepEqual(found: unknown, wanted: unknown): boolean {
  if (Object.is(found, wanted) || found === wanted) return true;
  if (typeof wanted !== 'object' || wanted === null || typeof found !== 'object' || found === null)
    return false;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(found) && found.length === wanted.length && wanted.every((w, i) => deepEqual(found[i], w))
    );
  }
  if (Array.isArray(found)) return false;
  const keys = Object.keys(wanted);
  return (
    keys.length === Object.keys(found).length &&
    keys.every((k) => Object.hasOwn(found, k) && deepEqual((found as never)[k], (wanted as never)[k]))
  );
}

/** `"ok"` / `matches /re/` / `exists` / `is absent`: the assertion's expectation in words. */
function expectation(check: ValueCheck): string {
  if ('matches' in check) return `matches ${slashed(check.matches)}`;
  if ('exists' in check) return check.exists ? 'exists' : 'is absent';
  return `is ${shown(check.equals)}`;
}

/** A value found (null or undefined: nothing) against its check; the message names what was found. */
function checkValue(label: string, found: unknown, check: ValueCheck): AssertionResult {
  const assertion = `${label} ${expectation(check)}`;
  const missing = found === null || found === undefined;
  let passed: boolean;
  if ('exists' in check) passed = check.exists !== missing;
  else if ('matches' in check) passed = typeof found === 'string' && regexFinds(check.matches, found);
  else passed = deepEqual(found ?? null, check.equals);
  if (passed) return { assertion, passed };
  const wanted =
    'exists' in check
      ? check.exists
        ? 'expected it to exist'
        : 'expected it absent'
      : 'matches' in check
        ? `expected a string matching ${slashed(check.matches)}`
        : `expected ${shown(check.equals)}`;
  const is = missing ? 'is missing' : `is ${shown(found)}`;
  return { assertion, passed, message: `${label} ${is}, ${wanted}` };
}

function headerChecks(site: Site, headers: ResponseHeaders): AssertionResult[] {
  const wanted = site.expect?.headers;
  if (wanted === undefined) return [];
  return Object.entries(wanted).map(([name, check]) => {
    const value = headers.get(name);
    // Header values are compared as sent, less the spaces around them.
    const found = value === undefined ? undefined : value.trim();
    return checkValue(`header ${name}`, found, check);
  });
}

/** `got 1,204 bytes starting "<html><title>Maintenance…"`. */
function got(text: string, bytes: number): string {
  return bytes === 0 ? 'got an empty body' : `got ${formatBytes(bytes)} starting "${excerpt(text)}"`;
}

function bodyChecks(site: Site, text: string, bytes: number): AssertionResult[] {
  const expect = site.expect ?? {};
  const results: AssertionResult[] = [];
  for (const wanted of expect.bodyContains ?? []) {
    const assertion = `body contains ${shown(wanted)}`;
    results.push(
      text.includes(wanted)
        ? { assertion, passed: true }
        : {
            assertion,
            passed: false,
            message: `body does not contain ${shown(wanted)} (${got(text, bytes)})`,
          },
    );
  }
  for (const unwanted of expect.bodyNotContains ?? []) {
    const assertion = `body does not contain ${shown(unwanted)}`;
    const at = text.indexOf(unwanted);
    const around = at < 0 ? '' : excerpt(text.slice(Math.max(0, at - 20)), 60 + unwanted.length);
    results.push(
      at < 0
        ? { assertion, passed: true }
        : {
            assertion,
            passed: false,
            message: `body contains ${shown(unwanted)} at character ${at.toLocaleString('en-US')} ("${at > 20 ? '…' : ''}${around}")`,
          },
    );
  }
  if (expect.bodyMatches !== undefined) {
    const assertion = `body matches ${slashed(expect.bodyMatches)}`;
    results.push(
      regexFinds(expect.bodyMatches, text)
        ? { assertion, passed: true }
        : {
            assertion,
            passed: false,
            message: `body does not match ${slashed(expect.bodyMatches)} (${got(text, bytes)})`,
          },
    );
  }
  return results;
}

/** Depth of the deepest array or object, counted without parsing; stops counting past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function jsonChecks(site: Site, text: string, contentType: string | undefined): AssertionResult[] {
  const wanted = site.expect?.json;
  if (wanted === undefined) return [];
  const entries = Object.entries(wanted);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() || 'no content-type';
  const fail = (message: string): AssertionResult[] =>
    entries.map(([path, check]) => ({ assertion: `${path} ${expectation(check)}`, passed: false, message }));
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return fail(`response is JSON nested deeper than ${MAX_JSON_DEPTH} levels; refused unread (${type})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const why = /json/.test(type) ? `${type}: ${excerpt((error as Error).message, 100)}` : type;
    return fail(`response is not JSON (${why})`);
  }
  return entries.map(([path, check]) => checkValue(path, searchJson(document, path), check));
}

/** The assertions' outcome: every assertion that ran, and the verdict of the first that failed (null: all held). */
export interface Judged {
  verdict: Verdict | null;
  assertions: AssertionResult[];
}

function verdictOf(assertions: readonly AssertionResult[]): Verdict | null {
  const failed = assertions.filter((a) => !a.passed);
  const [first] = failed;
  if (first === undefined) return null;
  const more =
    failed.length > 1
      ? ` (and ${failed.length - 1} more failed assertion${failed.length > 2 ? 's' : ''})`
      : '';
  return { kind: 'assertion', message: `${first.message ?? first.assertion}${more}`, retryable: false };
}

/**
 * Judges a response whose status was expected. `capture` is what send.ts kept of it; the body is waited
 * for until `deadline`.
 */
export async function judgeResponse(site: Site, capture: Capture | null, deadline: number): Promise<Judged> {
  const headers = capture?.headers ?? new Map<string, string>();
  const assertions = headerChecks(site, headers);
  if (capture?.body) {
    const body = await capture.body.finish(deadline);
    if (!body.ok) {
      assertions.push({ assertion: 'body read', passed: false, message: body.message });
      // Out of time while decompressing: a timeout like any other, and retried like one.
      const late =
        body.kind === 'timeout' && assertions.every((a) => a.passed || a.assertion === 'body read');
      const verdict = late
        ? { kind: 'timeout' as const, message: body.message, retryable: true }
        : verdictOf(assertions);
      return { verdict, assertions };
    }
    assertions.push(...bodyChecks(site, body.text, body.bytes));
    assertions.push(...jsonChecks(site, body.text, headers.get('content-type')));
  }
  return { verdict: verdictOf(assertions), assertions };
}

/** `response within 500 ms`: whether the final attempt took longer than maxResponseMs (degraded, not down). */
export function responseTime(site: Site, tookMs: number): AssertionResult | null {
  const max = site.expect?.maxResponseMs;
  if (max === undefined) return null;
  const assertion = `response within ${max} ms`;
  if (tookMs <= max) return { assertion, passed: true };
  return {
    assertion,
    passed: false,
    message: `response took ${Math.round(tookMs)} ms, over maxResponseMs ${max} ms`,
  };
}
