/**
 * The monitor's own connectivity check, after a sweep that looks offline (Gatus's connectivity checker
 * is the model): the configured targets are checked with the same probe as the sites, HEAD, on this
 * machine whatever the mode (in queue mode the workers' network is not the question), and one target
 * that answers with any HTTP status proves the monitor online.
 */

import { gotNoResponse, type Result } from '../core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { STRATEGIES, type SweepContext } from '../strategies/index.js';
import { describeCause } from '../util/describe.js';

export interface ConnectivityOutcome {
  /** Some target answered: the monitor's network works. */
  answered: boolean;
  /** For the log: "https://1.1.1.1/: refused: connection refused; ...". */
  summary: string;
}

/** Targets are checked with the defaults (HEAD, 10 s per attempt, one retry): their own verdict is unused. */
function targetSite(url: string): Site {
  return { ...DEFAULT_OPTIONS, method: 'HEAD', url, name: null };
}

function line(result: Result): string {
  return gotNoResponse(result)
    ? `${result.url}: ${describeCause({ kind: result.kind, status: result.status, message: result.error })}`
    : `${result.url}: answered${result.status === null ? '' : ` ${result.status}`}`;
}

/**
 * Checks every target at once.
 * @throws the strategy's abort error (code US_ERR_ABORTED) when `ctx.signal` aborts first
 */
export async function checkConnectivity(
  targets: readonly string[],
  ctx: Omit<SweepContext, 'onResult' | 'concurrency'>,
): Promise<ConnectivityOutcome> {
  const sites = targets.map(targetSite);
  const results = await STRATEGIES.async.run(sites, { ...ctx, concurrency: sites.length });
  return {
    answered: results.some((r) => !gotNoResponse(r)),
    summary: results.map(line).join('; '),
  };
}
