import { setMaxListeners } from 'node:events';
import type { ProbeContext } from '../probe/context.js';
import { HttpClient } from '../probe/http.js';
import { createRedactor } from '../util/redact.js';
import type { SweepContext } from './types.js';

// Where it was declared before: the queue's coordinator imports it from here.

/** One HttpClient and probe context per sweep (per worker, in the pooled modes). */
export function openProbeContext(ctx: SweepContext): { probeCtx: ProbeContext; close: () => Promise<void> } {
  // Every check in flight listens for the abort: one listener on the caller's signal, and a signal of
  // our own that may have as many listeners as there are checks.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const forward = () => controller.abort(ctx.signal?.reason);
  if (ctx.signal?.aborted) forward();
  else ctx.signal?.addEventListener('abort', forward, { once: true });
  const { lookup, ca, dnsServers, keepTlsSessions } = ctx;
  const client = new HttpClient({ lookup, ca, dnsServers, keepTlsSessions });
  const probeCtx: ProbeContext = {
    client,
    userAgent: ctx.userAgent,
    signal: controller.signal,
    retryDelayMs: ctx.retryDelayMs,
    redact: createRedactor(ctx.secrets),
  };
  return {
    probeCtx,
    close: () => {
      ctx.signal?.removeEventListener('abort', forward);
      return client.close();
    },
  };
}
