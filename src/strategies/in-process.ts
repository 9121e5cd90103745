import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { HttpClient } from '../probe/http.js';
import { probe } from '../probe/probe.js';
import { warmUp } from '../probe/warm.js';
import { openProbeContext } from './context.js';
import type { SweepContext } from './types.js';

/**
 * The modes that check in this process's event loop (serial, async). Loaded when one of them runs: the
 * probe and undici are what most of a command's start-up would otherwise be (src/strategies/index.ts).
 */

/** One check at a time. */
export async function sweepSerial(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
  await warmUp(ctx.userAgent);
  const { probeCtx, close } = openProbeContext(ctx);
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

/**
 * The most checks started in one turn of the event loop. A check's connect and first byte are stamped
 * when their events run, after everything else started in the same turn: 100 connections opened at once
 * made a 1 ms site read 30-50 ms. Eight at a time keeps that error under a millisecond (each start costs
 * 50-100 us) and still fills 100 lanes within a few turns.
 */
const STARTS_PER_TURN = 8;

/**
 * Names looked up ahead of their checks. A check that looks its name up itself waits for the answer in its
 * lane: with names answering in 20 ms and sites in 200 ms, a tenth of the sweep. So as lanes take sites,
 * the names of the next `window` sites are asked (HttpClient.lookAhead; dns.ts keeps each answer for its
 * check), and a check mostly starts with its address known. Bounded: never more than `window` sites past
 * the next one to be taken, nor past the end of the list. Returns what a lane calls with that next index.
 */
function lookAhead(sites: readonly Site[], client: HttpClient, window: number): (next: number) => void {
  let asked = 0;
  return (next) => {
    const end = Math.min(sites.length, next + window);
    for (; asked < end; asked++) client.lookAhead(sites[asked] as Site);
  };
}

/**
 * Up to `ctx.concurrency` checks in flight: that many lanes, each checking one site after another, bound
 * the checks in flight, and so the sockets open at once. Lanes rather than a queue of tasks (p-limit):
 * nothing is allocated per site beyond its check, and nothing waits in a queue long enough to be
 * promoted to V8's old space (docs/BENCHMARKS.md).
 */
export async function sweepAsync(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
  // So that the first check is not timed while its code compiles (probe/warm.ts).
  await warmUp(ctx.userAgent);
  const { probeCtx, close } = openProbeContext(ctx);
  const results = new Array<Result>(sites.length);
  const ahead = lookAhead(sites, probeCtx.client, Math.max(1, ctx.concurrency));
  let next = 0;
  let failed = false;
  let starts = STARTS_PER_TURN;
  /** The next turn, shared by every lane waiting for it; null while starts are left in this one. */
  let turn: Promise<void> | null = null;
  const nextTurn = () => {
    turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        turn = null;
        starts = STARTS_PER_TURN;
        resolve();
      }),
    );
    return turn;
  };
  const lane = async () => {
    while (!failed && next < sites.length) {
      if (starts === 0) {
        await nextTurn();
        continue;
      }
      starts--;
      const i = next++;
      ahead(next);
      try {
        results[i] = await probe(sites[i] as Site, probeCtx);
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
}
