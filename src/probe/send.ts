/**
 * One HTTP request on one connection under the check's deadline: our own timer, not undici's, decides
 * when waiting ends, and the phase the request was in names the timeout.
 */

import type { Dispatcher } from 'undici';
import { AbortedError, SquirrelError } from '../core/errors.js';
import type { Method, Site } from '../core/site.js';
import type { Capture, CaptureFn } from './assert.js';
import { classifyError, type Phase, timeoutVerdict, type Verdict } from './classify.js';
import type { ProbeContext } from './context.js';
import { originKey } from './http.js';
import { proxyAuthVerdict } from './proxy.js';
import { markWriting, type Trace } from './trace.js';

export const DEFAULT_BODY_CAP = 64 * 1024;

/** One request on one connection: what came back, or why nothing did. */
export interface Hop {
  status: number | null;
  location: string | null;
  failure: Verdict | null;
  trace: Trace;
  /** The proxy the request went through (credentials masked); null when direct. */
  proxy: string | null;
  /** What was kept of the response for the site's assertions (`expect`); absent without them. */
  capture?: Capture | null;
}

/** What is sent: the method, the headers and, for POST, PUT and OPTIONS, a body. */
export interface Outgoing {
  method: Method;
  headers: Record<string, string>;
  body: string | null;
  /** With `expect`: what to keep of the final response (headers, body) for the assertions. */
  capture?: CaptureFn | undefined;
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
export function sendOnce(
  url: URL,
  out: Outgoing,
  site: Site,
  deadline: number,
  wantBody: (status: number) => boolean,
  ctx: ProbeContext,
): Promise<Hop> {
  const key = originKey(url.protocol, url.hostname, url.port);
  const route = ctx.client.route(url, site);
  const proxy = route.proxy;
  const trace: Trace = { start: performance.now() };
  const cap = ctx.bodyCapBytes ?? DEFAULT_BODY_CAP;
  const { method } = out;
  if (route.problem) {
    return Promise.resolve({ status: null, location: null, failure: route.problem, trace, proxy: null });
  }
  // Plain http through a proxy goes to the proxy in absolute form, with the proxy's credentials.
  const absolute = proxy !== null && url.protocol === 'http:';
  if (absolute && proxy.authorization) out.headers['proxy-authorization'] = proxy.authorization;

  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    let finished = false;
    /** undici is done with the request: the origin is free for our next one. */
    const finishedWithUndici = () => {
      if (finished) return;
      finished = true;
      route.done(key, trace.h2);
    };
    let abortRequest: ((err: Error) => void) | null = null;
    let status: number | null = null;
    let location: string | null = null;
    let bodyBytes = 0;
    let capture: Capture | null = null;

    const phase = (): Phase => {
      // Before onConnect the request is waiting for a connection: name the step it was on.
      if (trace.sent === undefined) return route.connectingStep(key) ?? 'connect';
      return trace.headers === undefined ? 'headers' : 'body';
    };
    /** A request that never got its connection keeps what the attempt measured (DNS, connect, the address). */
    const keepConnectTimings = (failed: boolean) => {
      if (trace.sent !== undefined) return;
      const t = failed ? route.takeFailure(key) : route.connecting.get(key);
      if (t) Object.assign(trace, t);
    };
    const settle = (failure: Verdict | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      const hop: Hop = { status, location, failure, trace, proxy: proxy?.label ?? null };
      if (capture !== null) hop.capture = capture;
      resolve(hop);
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
        const at = phase();
        keepConnectTimings(false);
        const addresses = trace.tried ?? (trace.remoteAddress === undefined ? [] : [trace.remoteAddress]);
        const authority = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
        const context = { hostname: url.hostname, addresses, proxy: proxy?.label ?? null, authority };
        // Settle first: stopping the request makes undici report an error we must not take as the cause.
        settle(timeoutVerdict(at, site.timeoutMs, context));
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
        if (absolute && statusCode === 407 && proxy) {
          // The proxy, not the site, answered: no status of the site's.
          settle(proxyAuthVerdict(proxy));
          queueMicrotask(() => abortRequest?.(new SquirrelError('US_ERR_DONE', 'verdict reached')));
          return false;
        }
        status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          if (String(rawHeaders[i]).toLowerCase() === 'location') location = String(rawHeaders[i + 1]);
        }
        capture = out.capture?.(statusCode, rawHeaders) ?? null;
        if (method === 'HEAD' || capture?.body || wantBody(statusCode)) return true;
        // The status is the verdict; the body would only cost time. The connection is not reused.
        settle(null);
        queueMicrotask(() => abortRequest?.(new SquirrelError('US_ERR_DONE', 'verdict reached')));
        return false;
      },
      onData(chunk) {
        bodyBytes += chunk.length;
        // Read for the assertions, body.ts keeps at most maxBodyBytes and says when to stop; else the cap does.
        if (capture?.body ? capture.body.push(chunk) : bodyBytes < cap) return true;
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
        const at = phase();
        keepConnectTimings(true);
        settle(classifyError(err, url.hostname, at));
      },
    };

    try {
      route.dispatch(
        key,
        {
          origin: url.origin,
          path: absolute ? `${url.origin}${url.pathname}${url.search}` : `${url.pathname}${url.search}`,
          method,
          headers: out.headers,
          body: out.body,
          reset: true,
        },
        handler,
      );
    } catch (err) {
      finishedWithUndici();
      settle(classifyError(err, url.hostname, phase()));
    }
  });
}
