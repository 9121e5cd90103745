import type { Result } from '../core/result.js';
import { probe } from '../probe/probe.js';
import { longestTimeout, openProbeContext } from './context.js';
import type { Strategy } from './types.js';

/** One check at a time: the baseline every other mode is measured against. */
export const serialStrategy: Strategy = {
  description: 'one check at a time (the baseline)',
  oneAtATime: true,
  async run(sites, ctx) {
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
  },
};
