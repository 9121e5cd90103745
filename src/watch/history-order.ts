/**
 * The order in which a sweep starts its checks: the sites that took longest last time first, time-outs
 * first of all. With a bounded concurrency the sweep then ends near max(longest check, total time /
 * concurrency), the bound of any order (longest-processing-time-first scheduling), instead of waiting
 * for a slow site that the list happens to name last. The order is only when checks start: results
 * are still recorded and shown in config order.
 *
 * Sites with no history yet (the first sweep, a site added by a reload) go right after the time-outs,
 * in config order: a slow site started late costs the whole sweep its time, a fast one started early
 * costs nothing, so the unknown is treated as slow.
 */

import type { Result } from '../core/result.js';

interface Last {
  ms: number;
  timedOut: boolean;
}

/** How long each site's last check took, in the daemon's memory (keyed by the URL as configured). */
export class CheckDurations {
  private readonly last = new Map<string, Last>();

  record(url: string, result: Pick<Result, 'durationMs' | 'kind' | 'ok'>): void {
    // A check given up by its mode (queue's deadline) says nothing about the site's speed.
    if (result.ok === null) return;
    this.last.set(url, { ms: result.durationMs, timedOut: result.kind === 'timeout' });
  }

  /** Forgets sites that are no longer configured (after a reload). */
  keepOnly(urls: Iterable<string>): void {
    const keep = new Set(urls);
    for (const url of this.last.keys()) if (!keep.has(url)) this.last.delete(url);
  }

  /** Positions of `sites` in the order to start them: time-outs, unknown, then slowest first; stable. */
  order(sites: readonly { url: string }[]): number[] {
    const rank = sites.map((site) => {
      const last = this.last.get(site.url);
      // Tiers: 0 timed out, 1 unknown, 2 known; within a tier, longer first (unknown: config order).
      if (last === undefined) return { tier: 1, ms: 0 };
      return { tier: last.timedOut ? 0 : 2, ms: last.ms };
    });
    return sites
      .map((_site, i) => i)
      .sort((a, b) => {
        const x = rank[a] as { tier: number; ms: number };
        const y = rank[b] as { tier: number; ms: number };
        return x.tier - y.tier || y.ms - x.ms || a - b;
      });
  }
}
