import type { Strategy } from './types.js';

/** One event loop; a bound on the checks in flight bounds the sockets open at once. */
export const asyncStrategy: Strategy = {
  description: 'one event loop, up to --concurrency checks in flight (default)',
  run: async (sites, ctx) => (await import('./in-process.js')).sweepAsync(sites, ctx),
};
