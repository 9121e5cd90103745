import type { Result } from '../core/result.js';
import { probe } from '../probe/probe.js';
import { longestTimeout, openProbeContext } from './context.js';
import type { Strategy } from './types.js';

/**
 * One event loop; `concurrency` lanes, each checking one site after another, bound the checks in
 * flight, and so the sockets open at once. Lanes rather than a queue of tasks (p-limit): nothing is
 * allocated per site beyond its check, and nothing waits in a queue long enough to be promoted to V8's
 * old space (docs/BENCHMARKS.md).
 */
export const asyncStrategy: Strategy = {
  description: 'one event loop, up to --concurrency checks in flight (default)',
  async run(sites, ctx) {
    const { probeCtx, close } = openProbeContext({ connectTimeoutMs: longestTimeout(sites), ...ctx });
    const results = new Array<Result>(sites.length);
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < sites.length) {
        const i = next++;
        try {
          results[i] = await probe(sites[i] as (typeof sites)[number], probeCtx);
        } catch (err) {
          // An abort: the other lanes stop taking sites, and the sweep rejects with it.
          failed = true;
          throw err;
        }
        ctx.onResult?.(results[i] as Result, i);
        // Start the next check only after this turn's I/O has been read: responses that arrived
        // together are then all timestamped before any new connection is set up, instead of
        // each waiting behind the set-up of the checks started before it (docs/BENCHMARKS.md).
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    try {
      const lanes: Promise<void>[] = [];
      for (let k = 0; k < Math.min(Math.max(1, ctx.concurrency), sites.length); k++) lanes.push(lane());
      await Promise.all(lanes);
      return results;
    } finally {
      await close();
    }
  },
};
