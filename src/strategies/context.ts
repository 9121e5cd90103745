import { HttpClient } from '../probe/http.js';
import type { ProbeContext } from '../probe/probe.js';
import { createRedactor } from '../util/redact.js';
import type { SweepContext } from './types.js';

/** One HttpClient and probe context per sweep (per worker, in the pooled modes). */
export function openProbeContext(ctx: SweepContext): { probeCtx: ProbeContext; close: () => Promise<void> } {
  const client = new HttpClient({ lookup: ctx.lookup, ca: ctx.ca });
  const probeCtx: ProbeContext = {
    client,
    userAgent: ctx.userAgent,
    signal: ctx.signal,
    retryDelayMs: ctx.retryDelayMs,
    redact: createRedactor(ctx.secrets),
  };
  return { probeCtx, close: () => client.close() };
}
