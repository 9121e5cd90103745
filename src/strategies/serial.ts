import type { Strategy } from './types.js';

/** One check at a time: the baseline every other mode is measured against. */
export const serialStrategy: Strategy = {
  description: 'one check at a time (the baseline)',
  oneAtATime: true,
  run: async (sites, ctx) => (await import('./in-process.js')).sweepSerial(sites, ctx),
};
