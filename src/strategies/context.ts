import type { Site } from '../config/types.js';
import { HttpClient } from '../probe/http.js';
import type { ProbeContext } from '../probe/probe.js';
import { createRedactor } from '../util/redact.js';
import type { SweepContext } from './types.js';

/** The longest timeout among the sites: no connection attempt needs to outlive it. */
export function longestTimeout(sites: readonly Site[]): number {
  let longest = 0;
  for (const site of sites) longest = Math.max(longest, site.timeoutMs);
  return longest || 10_000;
}

/** One HttpClient and probe context per sweep (per worker, in the pooled modes). */
export function openProbeContext(ctx: SweepContext): { probeCtx: ProbeContext; close: () => Promise<void> } {
  const client = new HttpClient({ lookup: ctx.lookup, ca: ctx.ca, connectTimeoutMs: ctx.connectTimeoutMs });
  const probeCtx: ProbeContext = {
    client,
    userAgent: ctx.userAgent,
    signal: ctx.signal,
    retryDelayMs: ctx.retryDelayMs,
    redact: createRedactor(ctx.secrets),
  };
  return { probeCtx, close: () => client.close() };
}
