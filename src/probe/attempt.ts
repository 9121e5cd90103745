/**
 * One attempt at a site: the request, the GET fallback when HEAD is refused, and the redirects, each hop
 * under the same deadline; the attempt ends with a verdict.
 */

import type { AssertionResult } from '../core/result.js';
import { type Method, readsBody, type Site } from '../core/site.js';
import { redactUrl } from '../util/redact.js';
import { captureFor, judgeResponse } from './assert.js';
import type { Verdict } from './classify.js';
import type { ProbeContext } from './context.js';
import { sendOnce } from './send.js';
import type { Trace } from './trace.js';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

export interface Attempt {
  ok: boolean;
  status: number | null;
  method: Method;
  verdict: Verdict | null;
  redirects: number;
  trace: Trace | null;
  /** The proxy of the final request (credentials masked); null when direct. */
  proxy: string | null;
  /** The site's `expect` assertions on the final response, as they ran; absent without any. */
  assertions?: AssertionResult[] | undefined;
  startedAt: number;
  endedAt: number;
}

function statusExpected(site: Site, status: number): boolean {
  return site.expectStatus.some((r) => status >= r.min && status <= r.max);
}

function basicAuth(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function requestHeaders(
  site: Site,
  ctx: ProbeContext,
  auth: string | null,
  body: string | null,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': ctx.userAgent };
  for (const [k, v] of Object.entries(site.headers)) headers[k.toLowerCase()] = v;
  if (auth && headers.authorization === undefined) headers.authorization = auth;
  if (body !== null && headers['content-type'] === undefined && site.body) {
    headers['content-type'] = site.body.contentType;
  }
  return headers;
}

/** Methods that carry the site's body; the config refuses a body with HEAD or GET. */
const WITH_BODY: ReadonlySet<Method> = new Set(['POST', 'PUT', 'OPTIONS']);

export async function attemptOnce(site: Site, ctx: ProbeContext, deadline: number): Promise<Attempt> {
  const startedAt = performance.now();
  let url = new URL(site.url);
  // A HEAD has no body: assertions on the body make the check a GET (the config refuses an explicit HEAD).
  let method: Method = site.method === 'HEAD' && readsBody(site.expect) ? 'GET' : site.method;
  let body = site.body && WITH_BODY.has(method) ? site.body.text : null;
  let fellBack = false;
  let redirects = 0;
  // Credentials in a URL need an "@": the cheap test spares two URL getters per check.
  let auth = site.url.includes('@') ? basicAuth(url) : null;
  /** The URLs requested so far, without fragments; made at the first redirect (most checks have none). */
  let visited: Set<string> | null = null;
  let proxy: string | null = null;
  const end = (
    ok: boolean,
    status: number | null,
    verdict: Verdict | null,
    trace: Trace | null,
    assertions?: AssertionResult[],
  ): Attempt => {
    const attempt: Attempt = {
      ok,
      status,
      method,
      verdict,
      redirects,
      trace,
      proxy,
      startedAt,
      endedAt: performance.now(),
    };
    if (assertions !== undefined) attempt.assertions = assertions;
    return attempt;
  };

  for (let hop = 0; hop <= site.maxRedirects + 1; hop++) {
    const headers = requestHeaders(site, ctx, auth, body);
    const wantBody = (s: number) => !REDIRECT_CODES.has(s) && statusExpected(site, s);
    const capture = site.expect && captureFor(site, headers, wantBody);
    const res = await sendOnce(url, { method, headers, body, capture }, site, deadline, wantBody, ctx);
    proxy = res.proxy;
    if (res.failure) return end(false, null, res.failure, res.trace);
    const status = res.status as number;

    // Many servers refuse HEAD; ask again with GET before judging (reported as method GET).
    if (method === 'HEAD' && (status === 405 || status === 501) && !fellBack) {
      method = 'GET';
      fellBack = true;
      hop--;
      continue;
    }
    if (REDIRECT_CODES.has(status) && res.location !== null && site.maxRedirects > 0) {
      let next: URL;
      try {
        next = new URL(res.location, url);
      } catch {
        const verdict = {
          kind: 'protocol',
          message: `redirect to an invalid URL (${res.status})`,
          retryable: false,
        } as const;
        return end(false, status, verdict, res.trace);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        const verdict: Verdict = {
          kind: 'redirect-blocked',
          message: `redirect to a ${next.protocol.replace(/:$/, '')}: URL is not followed (only http and https are)`,
          retryable: false,
        };
        return end(false, status, verdict, res.trace);
      }
      visited ??= new Set([url.href.replace(/#.*$/, '')]);
      const href = next.href.replace(/#.*$/, '');
      if (visited.has(href) || redirects >= site.maxRedirects) {
        // `redirects` counts the redirects followed; the one that closes the loop is not.
        const message = visited.has(href)
          ? `redirect loop: after ${redirects} redirect${redirects === 1 ? '' : 's'} followed, the next one leads back to ${redactUrl(href)}`
          : `too many redirects (more than ${site.maxRedirects})`;
        return end(false, status, { kind: 'redirect-loop', message, retryable: false }, res.trace);
      }
      visited.add(href);
      redirects++;
      // Credentials never travel to another origin.
      if (next.origin !== url.origin) auth = basicAuth(next);
      else if (next.username || next.password) auth = basicAuth(next);
      // As browsers do: a 303 turns anything but HEAD into a GET, and a 301 or 302 turns a POST into one;
      // 307 and 308 keep the method and the body.
      if (
        (status === 303 && method !== 'HEAD') ||
        (method === 'POST' && (status === 301 || status === 302))
      ) {
        method = 'GET';
        body = null;
      }
      url = next;
      continue;
    }
    if (statusExpected(site, status)) {
      if (!site.expect) return end(true, status, null, res.trace);
      const { verdict, assertions } = await judgeResponse(site, res.capture ?? null, deadline);
      return end(verdict === null, status, verdict, res.trace, assertions);
    }
    const allowed = site.expectStatus
      .map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`))
      .join(', ');
    const verdict: Verdict = {
      kind: 'http-status',
      message: `HTTP ${status}${fellBack ? ' (GET after HEAD was refused)' : ''}, expected ${allowed}`,
      retryable: status >= 500,
    };
    return end(false, status, verdict, res.trace);
  }
  const verdict: Verdict = { kind: 'redirect-loop', message: 'too many redirects', retryable: false };
  return end(false, null, verdict, null);
}
