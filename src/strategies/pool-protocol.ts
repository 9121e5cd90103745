import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { SweepOptions } from './types.js';

/**
 * Messages between a pool coordinator and its workers (threads or processes). Plain JSON both
 * ways, so the same worker code runs behind postMessage and behind child-process IPC. A worker may
 * serve many sweeps (a kept pool, in `watch`): `init` comes first and again whenever a sweep's options
 * differ from the last; batches and results carry the sweep's number.
 */
export type ToWorker =
  | { type: 'init'; options: SweepOptions }
  | { type: 'batch'; sweep: number; items: Array<{ index: number; site: Site }> }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'result'; sweep: number; index: number; result: Result }
  /** The last message. `usage` only from a worker process: a thread's counters are its process's. */
  | { type: 'stopped'; usage?: { cpuMs: number; maxRssMb: number } };
