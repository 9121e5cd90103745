import { pooledStrategy } from './pooled.js';

/** Forked Node processes, each an event loop running async checks with its share of --concurrency. */
export const processesStrategy = pooledStrategy(
  'process',
  'a pool of child processes (--workers), sharing --concurrency; JSON over IPC',
);
