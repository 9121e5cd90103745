import type { Queue } from 'bullmq';
import { AbortedError } from '../../core/errors.js';

/**
 * Whether any `uptime-squirrel worker` is connected to the queue. BullMQ names each worker's connection
 * after the queue, so CLIENT LIST shows them (Queue.getWorkersCount); a worker killed or cut off drops
 * out of it as soon as Redis sees its connection close.
 */

/** CLIENT LIST lists every client of the Redis: cheap, but not for every poll of the results. */
const LOOK_EVERY_MS = 250;
const LOOK_MID_SWEEP_EVERY_MS = 1000;

/** Workers connected now; null when this Redis will not say (CLIENT LIST refused, as on some services). */
function countWorkers(queue: Queue): Promise<number | null> {
  return queue.getWorkersCount().catch(() => null);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits until a worker is connected, at most `waitMs`. Resolves with how many there are (0: none came),
 * or null when Redis does not say: then the sweep goes on, bounded by its deadline alone.
 * @throws AbortedError when `signal` aborts while waiting
 */
export async function waitForWorkers(
  queue: Queue,
  waitMs: number,
  signal?: AbortSignal,
): Promise<number | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    if (signal?.aborted) throw new AbortedError();
    const count = await countWorkers(queue);
    if (count !== 0 || Date.now() >= until) return count;
    await pause(Math.min(LOOK_EVERY_MS, until - Date.now()), signal);
  }
}

/**
 * For the sweep under way: call it as often as you like; it looks at most once a second and resolves
 * with true once no worker has been connected for `graceMs` (every worker left: the sites not checked
 * yet will not be, however long the deadline).
 */
export function workersGone(queue: Queue, graceMs: number): () => Promise<boolean> {
  let lastSeen = Date.now();
  let lastLook = 0;
  return async () => {
    const now = Date.now();
    if (now - lastLook < LOOK_MID_SWEEP_EVERY_MS) return false;
    lastLook = now;
    const count = await countWorkers(queue);
    if (count !== 0) {
      lastSeen = now;
      return false;
    }
    return now - lastSeen >= graceMs;
  };
}
