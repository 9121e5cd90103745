import type { Dispatcher } from 'undici';
import { AbortedError, SquirrelError } from '../core/errors.js';
import type { Result, Timings } from '../core/result.js';
import type { Method, Site } from '../core/site.js';
import { redactUrl } from '../util/redact.js';
import { classifyError, type Phase, timeoutVerdict, type Verdict } from './classify.js';
import { type HttpClient, markWriting, originKey, type Trace } from './http.js';

export interface ProbeContext {
  client: HttpClient;
  userAgent: string;
  /** Aborts the sweep (Ctrl-C): an aborted check rejects with code US_ERR_ABORTED; it is not an outage. */
  signal?: AbortSignal;
  /** Pause before a retry. */
  retryDelayMs?: number;
  /** The most body bytes read from a GET before the verdict stands. */
  bodyCapBytes?: number;
  /** Masks secrets (values from ${VAR}) in messages. */
  redact?: (text: string) => string;
}

const DEFAULT_RETRY_DELAY_MS = 500;
const DEFAULT_BODY_CAP = 64 * 1024;
/** A retry that could not get at least this long before the deadline is not started. */
const MIN_ATTEMPT_MS = 250;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** One request on one connection: what came back, or why nothing did. */
interface Hop {
  status: number | null;
  location: string | null;
  failure: Verdict | null;
  trace: Trace;
}

interface Attempt {
  ok: boolean;
  status: number | null;
  method: Method;
  verdict: Verdict | null;
  redirects: number;
  trace: Trace | null;
  startedAt: number;
  endedAt: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const span = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : round(b - a);

function statusExpected(site: Site, status: number): boolean {
  return site.expectStatus.some((r) => status >= r.min && status <= r.max);
}

function basicAuth(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function requestHeaders(site: Site, ctx: ProbeContext, auth: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': ctx.userAgent };
  for (const [k, v] of Object.entries(site.headers)) headers[k.toLowerCase()] = v;
  if (auth && headers.authorization === undefined) headers.authorization = auth;
  return headers;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Right after a response completes, undici closes the socket (we ask for `connection: close`) with
 * `new InformationalError('reset')`, and Node's stream destroy() reads that error's `stack`: a stack
 * capture plus formatting for an error nobody sees, about 150 us per check, the largest single cost
 * of a check in the CPU profile (docs/BENCHMARKS.md). That error is created synchronously after our
 * onComplete returns, so stack traces are switched off until the current callback ends.
 */
function skipNextStackTrace(): void {
  if (Error.stackTraceLimit === 0) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  queueMicrotask(() => {
    Error.stackTraceLimit = limit;
  });
}

/**
 * One request, bounded by `deadline` whatever the server does: our own timer, not undici's
 * (whose defaults are 300 s and whose headers timer restarts on every 1xx interim response).
 */
function sendOnce(
  url: URL,
  method: Method,
  headers: Record<string, string>,
  deadline: number,
  timeoutMs: number,
  wantBody: (status: number) => boolean,
  ctx: ProbeContext,
): Promise<Hop> {
  const key = originKey(url.protocol, url.hostname, url.port);
  const host = url.host;
  const trace: Trace = { start: performance.now() };
  const cap = ctx.bodyCapBytes ?? DEFAULT_BODY_CAP;

  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    let finished = false;
    /** undici is done with the request: the origin is free for our next one. */
    const finishedWithUndici = () => {
      if (finished) return;
      finished = true;
      ctx.client.done(key);
    };
    let abortRequest: ((err: Error) => void) | null = null;
    let status: number | null = null;
    let location: string | null = null;
    let bodyBytes = 0;

    const phase = (): Phase => {
      // Before onConnect the request is waiting for a connection: name the step it was on.
      if (trace.sent === undefined) return ctx.client.connectingStep(key) ?? 'connect';
      return trace.headers === undefined ? 'headers' : 'body';
    };
    const settle = (failure: Verdict | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      resolve({ status, location, failure, trace });
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abortRequest?.(new AbortedError());
      reject(new AbortedError());
    };
    const timer = setTimeout(
      () => {
        // Settle first: stopping the request makes undici report an error we must not take as the cause.
        settle(timeoutVerdict(phase(), timeoutMs, url.hostname));
        // Still waiting for a connection: undici aborts it in onConnect, or the connector's timeout ends it.
        abortRequest?.(new SquirrelError('US_ERR_DEADLINE', 'deadline passed'));
      },
      Math.max(0, deadline - trace.start),
    );
    if (ctx.signal?.aborted) return onAbort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortRequest = abort;
        if (settled) {
          markWriting(null);
          abort(new SquirrelError('US_ERR_DEADLINE', 'deadline passed'));
          return;
        }
        trace.sent = performance.now();
        markWriting(trace);
      },
      onHeaders(statusCode, rawHeaders) {
        // Interim 1xx responses carry no verdict; our deadline keeps running through them.
        if (statusCode < 200) return true;
        trace.headers = performance.now();
        status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          if (String(rawHeaders[i]).toLowerCase() === 'location') location = String(rawHeaders[i + 1]);
        }
        if (method === 'HEAD' || wantBody(statusCode)) return true;
        // The status is the verdict; the body would only cost time. The connection is not reused.
        settle(null);
        queueMicrotask(() => abortRequest?.(new SquirrelError('US_ERR_DONE', 'verdict reached')));
        return false;
      },
      onData(chunk) {
        bodyBytes += chunk.length;
        if (bodyBytes < cap) return true;
        settle(null);
        queueMicrotask(() => abortRequest?.(new SquirrelError('US_ERR_DONE', 'body cap reached')));
        return false;
      },
      onComplete() {
        finishedWithUndici();
        settle(null);
        skipNextStackTrace();
      },
      onError(err) {
        finishedWithUndici();
        if (settled) return;
        settle(classifyError(err, host, phase()));
      },
    };

    try {
      ctx.client.dispatch(
        key,
        { origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, reset: true },
        handler,
      );
    } catch (err) {
      finishedWithUndici();
      settle(classifyError(err, host, phase()));
    }
  });
}

async function attemptOnce(site: Site, ctx: ProbeContext, deadline: number): Promise<Attempt> {
  const startedAt = performance.now();
  let url = new URL(site.url);
  let method: Method = site.method;
  let fellBack = false;
  let redirects = 0;
  let auth = basicAuth(url);
  const visited = new Set([url.href.replace(/#.*$/, '')]);
  const end = (a: Omit<Attempt, 'startedAt' | 'endedAt' | 'method' | 'redirects'>): Attempt => ({
    ...a,
    method,
    redirects,
    startedAt,
    endedAt: performance.now(),
  });

  for (let hop = 0; hop <= site.maxRedirects + 1; hop++) {
    const headers = requestHeaders(site, ctx, auth);
    const wantBody = (s: number) => !REDIRECT_CODES.has(s) && statusExpected(site, s);
    const res = await sendOnce(url, method, headers, deadline, site.timeoutMs, wantBody, ctx);
    if (res.failure) return end({ ok: false, status: null, verdict: res.failure, trace: res.trace });
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
        return end({ ok: false, status, verdict, trace: res.trace });
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        const verdict: Verdict = {
          kind: 'redirect-blocked',
          message: `redirect to a ${next.protocol.replace(/:$/, '')}: URL is not followed (only http and https are)`,
          retryable: false,
        };
        return end({ ok: false, status, verdict, trace: res.trace });
      }
      const href = next.href.replace(/#.*$/, '');
      if (visited.has(href) || redirects >= site.maxRedirects) {
        const message = visited.has(href)
          ? `redirect loop: ${redactUrl(href)} was already visited after ${redirects + 1} redirect(s)`
          : `too many redirects (more than ${site.maxRedirects})`;
        return end({
          ok: false,
          status,
          verdict: { kind: 'redirect-loop', message, retryable: false },
          trace: res.trace,
        });
      }
      visited.add(href);
      redirects++;
      // Credentials never travel to another origin.
      if (next.origin !== url.origin) auth = basicAuth(next);
      else if (next.username || next.password) auth = basicAuth(next);
      if (status === 303 && method !== 'HEAD') method = 'GET';
      url = next;
      continue;
    }
    if (statusExpected(site, status)) return end({ ok: true, status, verdict: null, trace: res.trace });
    const allowed = site.expectStatus
      .map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`))
      .join(', ');
    const verdict: Verdict = {
      kind: 'http-status',
      message: `HTTP ${status}${fellBack ? ' (GET after HEAD was refused)' : ''}, expected ${allowed}`,
      retryable: status >= 500,
    };
    return end({ ok: false, status, verdict, trace: res.trace });
  }
  const verdict: Verdict = { kind: 'redirect-loop', message: 'too many redirects', retryable: false };
  return end({ ok: false, status: null, verdict, trace: null });
}

function timingsOf(a: Attempt): Timings {
  const t = a.trace;
  return {
    dnsMs: span(t?.connectStart, t?.dnsEnd),
    connectMs: span(t?.dnsEnd, t?.tcpEnd),
    tlsMs: span(t?.tcpEnd, t?.tlsEnd),
    ttfbMs: span(t?.sent, t?.headers),
    totalMs: round(a.endedAt - a.startedAt),
  };
}

/**
 * Check one site: HEAD (GET where HEAD is refused), redirects, retries, all within `timeoutMs`.
 * An outage is a Result with ok: false; only an abort of the sweep rejects.
 */
export async function probe(site: Site, ctx: ProbeContext): Promise<Result> {
  const checkedAt = new Date().toISOString();
  const deadline = performance.now() + site.timeoutMs;
  const delay = ctx.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  let attempts = 0;
  let last: Attempt;
  for (;;) {
    attempts++;
    last = await attemptOnce(site, ctx, deadline);
    if (last.ok || !last.verdict?.retryable || attempts > site.retries) break;
    // The timeout bounds the whole check: a retry that cannot get a fair chance is not started.
    if (deadline - performance.now() < delay + MIN_ATTEMPT_MS) break;
    await sleep(delay, ctx.signal);
  }
  const redact = ctx.redact ?? ((s: string) => s);
  return {
    url: redact(redactUrl(site.url)),
    name: site.name,
    ok: last.ok,
    status: last.status,
    method: last.method,
    kind: last.ok ? 'ok' : (last.verdict?.kind ?? 'protocol'),
    error: last.ok ? null : redact(last.verdict?.message ?? 'unknown failure'),
    attempts,
    redirects: last.redirects,
    timings: timingsOf(last),
    checkedAt,
  };
}
