import { asyncStrategy } from './async.js';
import { processesStrategy } from './processes.js';
import { serialStrategy } from './serial.js';
import { threadsStrategy } from './threads.js';
import type { Strategy } from './types.js';

export const MODE_NAMES = ['serial', 'async', 'threads', 'processes'] as const;
export type ModeName = (typeof MODE_NAMES)[number];

/** Adding a mode is one file and one line here. */
export const STRATEGIES = {
  serial: serialStrategy,
  async: asyncStrategy,
  threads: threadsStrategy,
  processes: processesStrategy,
} satisfies Record<ModeName, Strategy>;

export function isModeName(name: string): name is ModeName {
  return (MODE_NAMES as readonly string[]).includes(name);
}

export type { Strategy, SweepContext, SweepOptions } from './types.js';
