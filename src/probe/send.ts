/**
 * One HTTP request on a connection of its own under the check's deadline: our connector opens it, h1.ts
 * (or h2.ts, when TLS chose HTTP/2) speaks on it, one timer decides when waiting ends, and the phase the
 * request was in names the timeout.
 */

import type { Socket } from 'node:net';
import { AbortedError } from '../core/errors.js';
import type { Method, Site } from '../core/site.js';
import type { Capture, CaptureFn } from './assert.js';
import { classifyError, type Phase, timeoutVerdict, type Verdict } from './classify.js';
import type { ProbeContext } from './context.js';
import { exchange, type ResponseHandler } from './h1.js';
import { exchangeH2 } from './h2.js';
import { proxyAuthVerdict } from './proxy.js';
import type { Trace } from './trace.js';

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

const NOTHING = () => {};

/** Connections to close once this turn's reads are done (see closeSoon); null when none is waiting. */
let closing: Array<() => void> | null = null;

/**
 * Close a connection after the other reads of this turn of the event loop: responses that arrive
 * together are then each stamped when read, not after the close(2) calls of the ones read before them
 * (10-30 us each, milliseconds in a burst of 100).
 */
function closeSoon(stop: () => void): void {
  if (closing === null) {
    closing = [];
    setImmediate(() => {
      const all = closing ?? [];
      closing = null;
      for (const close of all) close();
    });
  }
  closing.push(stop);
}

/** The step a request still waiting for its connection is on, from what the connector has stamped. */
function connectStep(trace: Trace, viaTunnel: boolean): Phase {
  if (trace.dnsEnd === undefined) return 'dns';
  if (trace.tcpEnd === undefined) return 'connect';
  return viaTunnel && trace.proxyEnd === undefined ? 'proxy' : 'tls';
}

/** The request line's target: absolute form to a proxy for plain http, origin form otherwise. */
function requestTarget(url: URL, absolute: boolean): string {
  return absolute ? `${url.origin}${url.pathname}${url.search}` : `${url.pathname}${url.search}`;
}

/**
 * One request on a connection of its own, bounded by `deadline` whatever the server does: one timer per
 * request covers every phase, from the lookup to the last byte read.
 */
export function sendOnce(
  url: URL,
  out: Outgoing,
  site: Site,
  deadline: number,
  wantBody: (status: number) => boolean,
  ctx: ProbeContext,
): Promise<Hop> {
  const route = ctx.client.route(url, site);
  const proxy = route.proxy;
  const trace: Trace = { start: performance.now() };
  if (route.problem) {
    return Promise.resolve({ status: null, location: null, failure: route.problem, trace, proxy: null });
  }
  if (ctx.signal?.aborted) return Promise.reject(new AbortedError());
  const cap = ctx.bodyCapBytes ?? DEFAULT_BODY_CAP;
  const { method } = out;
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || (secure ? 443 : 80);
  // Plain http through a proxy goes to the proxy in absolute form, with the proxy's credentials.
  const absolute = proxy !== null && !secure;
  const headers: Record<string, string> = { host: url.host, ...out.headers };
  if (absolute && proxy.authorization) headers['proxy-authorization'] = proxy.authorization;
  const request = { method, path: requestTarget(url, absolute), headers, body: out.body };

  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    let status: number | null = null;
    let location: string | null = null;
    let bodyBytes = 0;
    let capture: Capture | null = null;
    /** Ends whatever is open for this request: the connection attempt, then the connection. */
    let stop: () => void = NOTHING;

    const phase = (): Phase => {
      if (trace.sent === undefined) return connectStep(trace, proxy !== null && secure);
      return trace.headers === undefined ? 'headers' : 'body';
    };
    const release = () => {
      settled = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      ctx.client.open.delete(stop);
      if (trace.sent === undefined) stop();
      else closeSoon(stop);
    };
    const settle = (failure: Verdict | null) => {
      if (settled) return;
      release();
      const hop: Hop = { status, location, failure, trace, proxy: proxy?.label ?? null };
      if (capture !== null) hop.capture = capture;
      resolve(hop);
    };
    function onAbort() {
      if (settled) return;
      release();
      reject(new AbortedError());
    }
    const timer = setTimeout(
      () => {
        const addresses = trace.tried ?? (trace.remoteAddress === undefined ? [] : [trace.remoteAddress]);
        const authority = `${url.hostname}:${port}`;
        const context = { hostname: url.hostname, addresses, proxy: proxy?.label ?? null, authority };
        settle(timeoutVerdict(phase(), site.timeoutMs, context));
      },
      // Whole milliseconds: Node keeps one timer list per duration, so checks with one timeout share one.
      Math.max(0, Math.ceil(deadline - trace.start)),
    );
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    const cancel = route.connect({ secure, hostname, port }, trace, connected);
    // A connector that failed at once (an address of the wrong family) has already settled.
    if (!settled && stop === NOTHING) {
      stop = cancel;
      ctx.client.open.add(stop);
    }

    const handler: ResponseHandler = {
      onHeaders(statusCode, rawHeaders, at) {
        trace.headers = at;
        if (absolute && statusCode === 407 && proxy) {
          // The proxy, not the site, answered: no status of the site's.
          settle(proxyAuthVerdict(proxy));
          return false;
        }
        status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          const name = rawHeaders[i] as string;
          if (name.length === 8 && name.toLowerCase() === 'location') location = rawHeaders[i + 1] as string;
        }
        capture = out.capture?.(statusCode, rawHeaders) ?? null;
        if (method === 'HEAD' || capture?.body || wantBody(statusCode)) return true;
        // The status is the verdict; the body would only cost time. The connection is not reused.
        settle(null);
        return false;
      },
      onData(chunk) {
        bodyBytes += chunk.length;
        // Read for the assertions, body.ts keeps at most maxBodyBytes and says when to stop; else the cap does.
        if (capture?.body ? capture.body.push(chunk) : bodyBytes < cap) return true;
        settle(null);
        return false;
      },
      onComplete() {
        settle(null);
      },
      onError(err) {
        if (!settled) settle(classifyError(err, url.hostname, phase()));
      },
    };

    function connected(err: Error | null, socket: Socket | null) {
      if (settled) return;
      if (err || socket === null) return settle(classifyError(err, url.hostname, phase()));
      ctx.client.open.delete(stop);
      stop = () => socket.destroy();
      try {
        if (trace.h2) {
          trace.sent = performance.now();
          stop = exchangeH2(socket, url.origin, request, handler);
        } else {
          exchange(socket, request, handler);
          trace.sent = performance.now();
        }
      } catch (error) {
        ctx.client.open.add(stop);
        return settle(classifyError(error, url.hostname, phase()));
      }
      ctx.client.open.add(stop);
    }
  });
}
