import type { Site } from '../core/site.js';

/**
 * The longest timeout among the sites: no connection attempt needs to outlive it. On its own so that a
 * pool's coordinator, which runs no probe, need not load the probe (and undici) to know it.
 */
export function longestTimeout(sites: readonly Site[]): number {
  let longest = 0;
  for (const site of sites) longest = Math.max(longest, site.timeoutMs);
  return longest || 10_000;
}
