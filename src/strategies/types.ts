import type { Option } from 'commander';
import type { LocationsSummary } from '../core/locations.js';
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
  /** Extra trusted CA certificates, PEM. */
  ca?: string;
  /** DNS servers to ask instead of the system's (--dns-server), "ip" or "ip:port". */
  dnsServers?: string[];
  /** Keep TLS sessions across sweeps to resume them (watch; each worker keeps its own). */
  keepTlsSessions?: boolean;
  /** Queue mode: the Redis server the workers take batches from (redis:// or rediss://). */
  redisUrl?: string;
  /** Queue mode: sites without a result this long after the sweep started are reported unchecked. */
  deadlineMs?: number;
  /** Queue mode: how long a sweep waits for a worker to be connected before it says none is. */
  waitForWorkersMs?: number;
  /** Queue mode: check every site once from each of these locations (`worker --location`). */
  locations?: string[];
  /** Queue mode with locations: how many must see a site down (default: a majority). */
  quorum?: number;
}

export interface SweepContext extends SweepOptions {
  /**
   * Stops the sweep: probes in flight are aborted and `run` rejects with code US_ERR_ABORTED. Its
   * reason may say which signal (InterruptedError); runStoppable keeps what finished.
   */
  signal?: AbortSignal;
  /**
   * Called as each result arrives (progress); `index` is the site's position in the config. Every check
   * that finished is reported here before `run` settles, even when it rejects (aborted): callers keep
   * what finished from these calls (watch, runStoppable).
   */
  onResult?: (result: Result, index: number) => void;
  /** Name lookup for in-process strategies (tests point it at a local DNS server). */
  lookup?: LookupFn;
  /** Worker threads or processes, in the pooled modes; default: the machine's available parallelism. */
  workers?: number;
  /** Called with each pool worker's id ("process 1234", "thread 2") as it starts. */
  onWorkerStart?: (id: string) => void;
  /**
   * Queue mode with locations: called once per sweep, before `run` settles, with the locations and those
   * that left checks without a result (no live worker there), to be said by name.
   */
  onLocations?: (summary: LocationsSummary) => void;
  /** Called with a worker process's own CPU time and peak RSS when it stops (bench adds them up). */
  onWorkerUsage?: (usage: { cpuMs: number; maxRssMb: number }) => void;
}

/** The commands that sweep: a mode words its options and messages for each. */
export type SweepCommand = 'check' | 'watch' | 'bench';

/** What a mode's `configure` reads: the command line as the sweeping command parsed it. */
export interface ModeSetup {
  command: SweepCommand;
  /** Option values by attribute name (`--redis` is `redis`), environment fallbacks included. */
  flags: Readonly<Record<string, unknown>>;
  /** How often the command sweeps (watch: the schedule's interval); a mode may bound a sweep by it. */
  intervalMs?: number;
}

/**
 * What a mode's own options add to the context of its sweeps: plain data, so that it can cross to
 * another process (bench runs each mode in a fresh one).
 */
export type ModeSettings = Partial<SweepOptions>;

/** A way of running a sweep. Every mode gives one result per site, in config order. */
export interface Strategy {
  /** One line for `--help` and the README. */
  description: string;
  /**
   * The mode may return results with `ok: null` (unchecked: queue mode past its deadline); reports then
   * count them in `summary.unchecked`. Absent for the modes that always check every site.
   */
  leavesUnchecked?: true;
  /**
   * The mode checks one site at a time, so a sweep takes the sum of every site's response time: `bench`
   * measures it on a sample of a long list and extrapolates (unless --full).
   */
  oneAtATime?: true;
  /**
   * Options only this mode reads, added to every command that sweeps (worded for it). The commands know
   * no mode by name: they add these, and refuse them on the command line when another mode is chosen.
   */
  options?(command: SweepCommand): Option[];
  /**
   * This mode's settings from its options, when it is the one chosen.
   * @throws UsageError when they are missing or do not fit (exit 2, before anything starts)
   */
  configure?(setup: ModeSetup): ModeSettings;
  run(sites: readonly Site[], ctx: SweepContext): Promise<Result[]>;
  /**
   * An instance for many sweeps (the watch daemon's) that may keep what it starts, a pool's workers,
   * from one sweep to the next; whoever opens it closes it. Absent: `run` keeps nothing between sweeps.
   */
  open?(): Strategy;
  /** Of an opened instance: stops what it kept and resolves once all of it is gone. */
  close?(): Promise<void>;
}
