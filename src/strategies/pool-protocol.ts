import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { SweepOptions } from './types.js';

/**
 * Messages between a pool coordinator and its workers (threads or processes). Plain JSON both
 * ways, so the same worker code runs behind postMessage and behind child-process IPC.
 */
export type ToWorker =
  | { type: 'init'; options: SweepOptions }
  | { type: 'batch'; items: Array<{ index: number; site: Site }> }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'result'; index: number; result: Result }
  /** The last message. `usage` only from a worker process: a thread's counters are its process's. */
  | { type: 'stopped'; usage?: { cpuMs: number; maxRssMb: number } };
