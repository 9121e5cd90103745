import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import type { LookupFn } from '../probe/http.js';

/**
 * What every strategy needs to run probes. The plain-data part (`SweepOptions`) can cross a thread
 * or process boundary; the rest stays in the process that started the sweep.
 */
export interface SweepOptions {
  /** Checks in flight at once, in total across all workers. */
  concurrency: number;
  userAgent: string;
  /** Values to mask in every message (from ${VAR} substitution). */
  secrets: string[];
  retryDelayMs?: number;
  /** Bound on a connection attempt: the longest check timeout of the sweep (see HttpClient). */
  connectTimeoutMs?: number;
  /** Extra trusted CA certificates, PEM. */
  ca?: string;
}

export interface SweepContext extends SweepOptions {
  /** Stops the sweep: probes in flight are aborted and `run` rejects with code US_ERR_ABORTED. */
  signal?: AbortSignal;
  /** Called as each result arrives (progress); `index` is the site's position in the config. */
  onResult?: (result: Result, index: number) => void;
  /** Name lookup for in-process strategies (tests point it at a local DNS server). */
  lookup?: LookupFn;
  /** Worker threads or processes, in the pooled modes; default: the machine's available parallelism. */
  workers?: number;
  /** Called with each pool worker's id ("process 1234", "thread 2") as it starts. */
  onWorkerStart?: (id: string) => void;
  /** Called with a worker process's own CPU time and peak RSS when it stops (bench adds them up). */
  onWorkerUsage?: (usage: { cpuMs: number; maxRssMb: number }) => void;
  /** Queue mode: the Redis server the workers take batches from (redis:// or rediss://). */
  redisUrl?: string;
  /** Queue mode: sites without a result this long after the sweep started are reported unchecked. */
  deadlineMs?: number;
}

/** A way of running a sweep. Every mode gives one result per site, in config order. */
export interface Strategy {
  /** One line for `--help` and the README. */
  description: string;
  /**
   * The mode may return results with `ok: null` (unchecked: queue mode past its deadline); reports then
   * count them in `summary.unchecked`. Absent for the modes that always check every site.
   */
  leavesUnchecked?: true;
  run(sites: readonly Site[], ctx: SweepContext): Promise<Result[]>;
}
