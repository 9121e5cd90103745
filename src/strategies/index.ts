import { asyncStrategy } from './async.js';
import { processesStrategy } from './processes.js';
import { queueStrategy } from './queue.js';
import { serialStrategy } from './serial.js';
import { threadsStrategy } from './threads.js';
import type { Strategy } from './types.js';

/**
 * The modes that check every site on this machine, needing nothing else: what `bench` compares by
 * default and what the strategy tests sweep.
 */
export const MODE_NAMES = ['serial', 'async', 'threads', 'processes'] as const;
/** Every mode `--mode` accepts: the local ones, and queue, which needs a Redis and workers (--redis). */
export const ALL_MODE_NAMES = [...MODE_NAMES, 'queue'] as const;
export type ModeName = (typeof ALL_MODE_NAMES)[number];

/** Adding a mode is one file and one line here. */
export const STRATEGIES = {
  serial: serialStrategy,
  async: asyncStrategy,
  threads: threadsStrategy,
  processes: processesStrategy,
  queue: queueStrategy,
} satisfies Record<ModeName, Strategy>;

export function isModeName(name: string): name is ModeName {
  return (ALL_MODE_NAMES as readonly string[]).includes(name);
}

export type { Strategy, SweepContext, SweepOptions } from './types.js';
