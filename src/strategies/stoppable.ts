import { AbortedError, type InterruptedError, interruption } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { createRedactor } from '../util/redact.js';
import type { Strategy, SweepContext } from './types.js';
import { uncheckedResult } from './unchecked.js';

export interface StoppableSweep {
  /** One result per site, in config order: the sites not finished when it stopped are `unchecked`. */
  results: Result[];
  /** What stopped the sweep early (its code gives the exit code); null when it ran to the end. */
  stopped: InterruptedError | AbortedError | null;
}

/**
 * Runs a sweep that the context's signal may stop (Ctrl-C, SIGTERM), and hands back what finished either
 * way. Every mode reports each finished check through `onResult` before `run` settles, aborted or not
 * (the contract test holds each mode to it), so what finished is kept here as it arrives; a site still
 * in flight or never started is `unchecked` with the reason ("not checked: interrupted by SIGINT").
 * @throws whatever else the strategy throws (Redis unreachable, ...)
 */
export async function runStoppable(
  strategy: Strategy,
  sites: readonly Site[],
  ctx: SweepContext,
): Promise<StoppableSweep> {
  const finished = new Array<Result | undefined>(sites.length);
  try {
    const results = await strategy.run(sites, {
      ...ctx,
      onResult: (result, index) => {
        finished[index] = result;
        ctx.onResult?.(result, index);
      },
    });
    return { results, stopped: null };
  } catch (error) {
    if (!ctx.signal?.aborted || (error as { code?: unknown })?.code !== 'US_ERR_ABORTED') throw error;
    const by = interruption(ctx.signal);
    const why = by === null ? 'not checked: interrupted' : `not checked: interrupted by ${by.signal}`;
    const redact = createRedactor(ctx.secrets);
    const now = new Date();
    return {
      results: sites.map((site, i) => finished[i] ?? uncheckedResult(site, why, redact, now)),
      stopped: by ?? new AbortedError(),
    };
  }
}
