import { probe } from '../probe/probe.js';
import { mapBounded } from '../util/bounded.js';
import { longestTimeout, openProbeContext } from './context.js';
import type { Strategy } from './types.js';

/** One event loop; p-limit bounds the checks in flight, and so the sockets open at once. */
export const asyncStrategy: Strategy = {
  description: 'one event loop, up to --concurrency checks in flight (default)',
  async run(sites, ctx) {
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
  },
};
