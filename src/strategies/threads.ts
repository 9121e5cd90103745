import { pooledStrategy } from './pooled.js';

/** worker_threads, each an event loop running async checks with its share of --concurrency. */
export const threadsStrategy = pooledStrategy(
  'thread',
  'a pool of worker threads (--workers), sharing --concurrency',
);
