import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { probe } from '../probe/probe.js';
import { mapBounded } from '../util/bounded.js';
import { openProbeContext } from './context.js';
import { longestTimeout } from './timeouts.js';
import type { SweepContext } from './types.js';

/**
 * The modes that check in this process's event loop (serial, async). Loaded when one of them runs: the
 * probe and undici are what most of a command's start-up would otherwise be (src/strategies/index.ts).
 */

/** One check at a time. */
export async function sweepSerial(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
  const { probeCtx, close } = openProbeContext({ connectTimeoutMs: longestTimeout(sites), ...ctx });
  const results: Result[] = [];
  try {
    for (const [i, site] of sites.entries()) {
      const result = await probe(site, probeCtx);
      ctx.onResult?.(result, i);
      results.push(result);
    }
    return results;
  } finally {
    await close();
  }
}

/** Up to `ctx.concurrency` checks in flight; the bound is what keeps the sockets open at once bounded. */
export async function sweepAsync(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
  const { probeCtx, close } = openProbeContext({ connectTimeoutMs: longestTimeout(sites), ...ctx });
  try {
    return await mapBounded(sites, ctx.concurrency, async (site, i) => {
      const result = await probe(site, probeCtx);
      ctx.onResult?.(result, i);
      // Start the next check only after this turn's I/O has been read: responses that arrived
      // together are then all timestamped before any new connection is set up, instead of
      // each waiting behind the set-up of the checks started before it (docs/BENCHMARKS.md).
      await new Promise((resolve) => setImmediate(resolve));
      return result;
    });
  } finally {
    await close();
  }
}
