import type { Site } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { createProgress } from '../report/progress.js';
import { isModeName, type ModeSettings, STRATEGIES } from '../strategies/index.js';
import { median } from './stats.js';

/**
 * One mode of `bench`, run in a fresh process (contender-process.ts) and measured from outside
 * (run-contender.ts).
 */
export interface RunStats {
  contender: string;
  checks: number;
  up: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** Median of the response times the contender itself measured. */
  medianMs: number;
}

export interface RunArgs {
  contender: string;
  /** The sites to check; the bare loops use only their URLs. */
  sites: Site[];
  concurrency: number;
  workers?: number;
  secrets?: string[];
  /** The mode's settings from its own options (queue: the Redis its workers use, the deadline). */
  settings?: ModeSettings;
  /** Show a progress line on stderr while a mode sweeps, when stderr is a terminal. */
  progress?: boolean;
}

export interface RunOutput extends RunStats {
  /** Per site: "ok" or the failure kind, for comparing modes. */
  verdicts: string[];
  /**
   * The sweep alone, as the process saw it (start-up excluded), when wall and CPU were measured from
   * outside: what is extrapolated from a sample, the start-up being paid once whatever the list's length.
   */
  sweep?: { wallMs: number; cpuMs: number };
}

/**
 * Runs one mode in this process; contender-process.ts is the entry that bench spawns for it. The wall,
 * CPU and peak RSS it reports are its own view; runContender replaces them with the figures measured
 * from outside (start-up and worker processes included), keeping the sum of the workers' peaks.
 */
export async function runOne(args: RunArgs): Promise<RunOutput> {
  const mode = args.contender.replace(/^sweep-/, '');
  if (!isModeName(mode)) throw new Error(`unknown contender ${args.contender}`);
  let workerCpuMs = 0;
  let workerRssMb = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // The drawing is this process's CPU too, but at most ten lines a second.
  const progress = createProgress(process.stderr, args.sites.length, args.progress === true);
  const results = await STRATEGIES[mode].run(args.sites, {
    concurrency: args.concurrency,
    workers: args.workers,
    userAgent: USER_AGENT,
    secrets: args.secrets ?? [],
    ...args.settings,
    onResult: (r) => progress.tick(r.ok),
    // Worker processes report their own CPU and peak RSS as they stop.
    onWorkerUsage: (u) => {
      workerCpuMs += u.cpuMs;
      workerRssMb += u.maxRssMb;
    },
  });
  progress.done();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    contender: args.contender,
    checks: results.length,
    up: results.filter((r) => r.ok).length,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000) + workerCpuMs,
    // With worker processes: the sum of every process's peak, an upper bound of the total.
    peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024 + workerRssMb) * 10) / 10,
    medianMs: Math.round(median(results.map((r) => r.timings.totalMs)) * 10) / 10,
    verdicts: results.map((r) => (r.ok ? 'ok' : r.kind)),
  };
}
