import { AbortedError } from '../core/errors.js';
import type { Result, Timings } from '../core/result.js';
import { RETRY_PAUSE_MS, type Site } from '../core/site.js';
import { redactUrl } from '../util/redact.js';
import { type Attempt, attemptOnce } from './attempt.js';
import type { ProbeContext } from './context.js';
import { findingsOf } from './findings.js';

const round = (ms: number) => Math.round(ms * 10) / 10;
const span = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : round(b - a);

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

function timingsOf(a: Attempt): Timings {
  const t = a.trace;
  return {
    dnsMs: span(t?.connectStart, t?.dnsEnd),
    connectMs: span(t?.dnsEnd, t?.tcpEnd),
    proxyMs: span(t?.tcpEnd, t?.proxyEnd),
    tlsMs: span(t?.proxyEnd ?? t?.tcpEnd, t?.tlsEnd),
    ttfbMs: span(t?.sent, t?.headers),
    totalMs: round(a.endedAt - a.startedAt),
  };
}

/**
 * Check one site: HEAD (GET where HEAD is refused) and its redirects, each attempt within `timeoutMs`;
 * a failed attempt that another may fix (a network failure, a timeout, a 5xx) is tried again after a
 * pause, up to `retries` times. So the whole check takes at most (retries + 1) x timeoutMs plus the
 * pauses. An outage is a Result with ok: false; only an abort of the sweep rejects.
 */
export async function probe(site: Site, ctx: ProbeContext): Promise<Result> {
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  const delay = ctx.retryDelayMs ?? RETRY_PAUSE_MS;
  let attempts = 0;
  let last: Attempt;
  for (;;) {
    attempts++;
    last = await attemptOnce(site, ctx, performance.now() + site.timeoutMs);
    if (last.ok || !last.verdict?.retryable || attempts > site.retries) break;
    await sleep(delay, ctx.signal);
  }
  const redact = ctx.redact ?? ((s: string) => s);
  const trace = last.trace;
  const result: Result = {
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
    durationMs: round(performance.now() - started),
    checkedAt,
    httpVersion: last.status === null ? null : trace?.h2 ? '2' : '1.1',
    remoteAddress: trace?.remoteAddress ?? null,
    proxy: last.proxy === null ? null : redact(last.proxy),
    note: trace?.note === undefined ? null : redact(trace.note),
  };
  // Keys in this order: the JSON output lists them so.
  if (trace?.certExpiresAt !== undefined) result.certExpiresAt = new Date(trace.certExpiresAt).toISOString();
  return Object.assign(result, findingsOf(site, last, Date.now()));
}
