import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Result } from '../../core/result.js';
import { resultField, type SweepKeys } from './protocol.js';

/**
 * Results are keyed by sweep and site index, and the first one stored wins: a batch checked twice
 * (a worker taken for dead that was only slow, or killed after storing some results) cannot give a site
 * two results. Only while the sweep's meta key lives: after the coordinator finished or gave up, a late
 * result is dropped instead of recreating keys nobody will delete. The keys expire with the meta key.
 * ARGV holds index, JSON pairs; the reply has one outcome per pair, or a single -1 when the sweep is over.
 */
const RECORD_LUA = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then return {-1} end
local outcomes, added = {}, {}
for i = 1, #ARGV, 2 do
  local stored = redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
  outcomes[#outcomes + 1] = stored
  if stored == 1 then added[#added + 1] = ARGV[i] end
end
if #added > 0 then
  redis.call('RPUSH', KEYS[3], unpack(added))
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return outcomes
`;
const RECORD_SHA = createHash('sha1').update(RECORD_LUA).digest('hex');

/** 1: stored; 0: a result for this site was already stored (ignored); -1: the sweep is over. */
export type RecordOutcome = 1 | 0 | -1;

/** One result to store: a site's, from `location` when the sweep has locations. */
interface Entry {
  index: number;
  result: Result;
  location?: string;
}

/** Stores several results of one sweep in one script call; one outcome per entry. */
export async function recordResults(
  redis: Redis,
  keys: SweepKeys,
  entries: ReadonlyArray<Entry>,
): Promise<RecordOutcome[]> {
  if (entries.length === 0) return [];
  const args = [keys.meta, keys.results, keys.arrived];
  for (const { index, result, location } of entries)
    args.push(resultField(index, location), JSON.stringify(result));
  let reply: unknown;
  try {
    reply = await redis.evalsha(RECORD_SHA, 3, ...args);
  } catch (err) {
    // First use on this server (or after SCRIPT FLUSH): send the script itself, which caches it.
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    reply = await redis.eval(RECORD_LUA, 3, ...args);
  }
  const outcomes = (reply as number[]).map((n) => Number(n) as RecordOutcome);
  return outcomes[0] === -1 ? entries.map(() => -1) : outcomes;
}

export async function recordResult(
  redis: Redis,
  keys: SweepKeys,
  index: number,
  result: Result,
  location?: string,
): Promise<RecordOutcome> {
  const [outcome] = await recordResults(redis, keys, [{ index, result, location }]);
  return outcome ?? -1;
}

/** Results of one worker wait this long, or until this many, to be stored together. */
const FLUSH_MS = 20;
const FLUSH_COUNT = 64;

interface Pending {
  keys: SweepKeys;
  entries: Entry[];
  settle: Array<{ resolve: (o: RecordOutcome) => void; reject: (e: unknown) => void }>;
  timer: NodeJS.Timeout;
}

/**
 * Stores a worker's results a few at a time: one script call per 20 ms or 64 results instead of one per
 * result, which is most of Redis's work per check (docs/QUEUE.md, "Where Redis becomes the limit").
 * A worker killed meanwhile loses at most 20 ms of results, which its batch's next worker checks again.
 */
export class ResultWriter {
  readonly #redis: Redis;
  readonly #pending = new Map<string, Pending>();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  write(keys: SweepKeys, index: number, result: Result, location?: string): Promise<RecordOutcome> {
    let pending = this.#pending.get(keys.meta);
    if (!pending) {
      const created: Pending = {
        keys,
        entries: [],
        settle: [],
        timer: setTimeout(() => this.#flush(created), FLUSH_MS),
      };
      pending = created;
      this.#pending.set(keys.meta, pending);
    }
    const batch = pending;
    const outcome = new Promise<RecordOutcome>((resolve, reject) => batch.settle.push({ resolve, reject }));
    batch.entries.push({ index, result, location });
    if (batch.entries.length >= FLUSH_COUNT) this.#flush(batch);
    return outcome;
  }

  #flush(pending: Pending): void {
    clearTimeout(pending.timer);
    if (this.#pending.get(pending.keys.meta) === pending) this.#pending.delete(pending.keys.meta);
    recordResults(this.#redis, pending.keys, pending.entries).then(
      (outcomes) => {
        for (const [i, { resolve }] of pending.settle.entries()) resolve(outcomes[i] ?? -1);
      },
      (err: unknown) => {
        for (const { reject } of pending.settle) reject(err);
      },
    );
  }
}

/** The indexes among `indexes` that already have a result (a batch taken over skips them). */
export async function storedIndexes(
  redis: Redis,
  keys: SweepKeys,
  indexes: number[],
  location?: string,
): Promise<Set<number>> {
  if (indexes.length === 0) return new Set();
  const values = await redis.hmget(keys.results, ...indexes.map((i) => resultField(i, location)));
  return new Set(indexes.filter((_, i) => values[i] !== null));
}
