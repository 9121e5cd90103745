import { availableParallelism } from 'node:os';
import { runPool, spawnProcess } from './pool.js';
import type { Strategy } from './types.js';

/** Forked Node processes, each an event loop running async checks with its share of --concurrency. */
export const processesStrategy: Strategy = {
  description: 'a pool of child processes (--workers), sharing --concurrency; JSON over IPC',
  run: (sites, ctx) =>
    runPool(sites, ctx, { workers: ctx.workers ?? availableParallelism(), spawn: spawnProcess }),
};
