import { availableParallelism } from 'node:os';
import { runPool, spawnThread } from './pool.js';
import type { Strategy } from './types.js';

/** worker_threads, each an event loop running async checks with its share of --concurrency. */
export const threadsStrategy: Strategy = {
  description: 'a pool of worker threads (--workers), sharing --concurrency',
  run: (sites, ctx) =>
    runPool(sites, ctx, { workers: ctx.workers ?? availableParallelism(), spawn: spawnThread }),
};
