import http from 'node:http';
import { Agent, request } from 'undici';
import type { Site } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { createProgress } from '../report/progress.js';
import { isModeName, type ModeSettings, STRATEGIES } from '../strategies/index.js';

/**
 * One contender of the sweep benchmark, run in a fresh process (contender-process.ts) so CPU and peak
 * RSS are its own.
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
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Run `task` over every index with at most `concurrency` in flight (the bare loops' pool). */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(lanes);
}

function nodeHttpHead(url: string): Promise<{ ok: boolean; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // agent: false = a fresh connection per request, closed afterwards, like the sweep.
    const req = http.request(
      url,
      { method: 'HEAD', agent: false, headers: { 'user-agent': USER_AGENT } },
      (res) => {
        const ms = performance.now() - t0;
        res.resume();
        res.on('end', () => resolve({ ok: (res.statusCode ?? 0) < 400, ms }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
    req.end();
  });
}

/** Runs one contender in this process; contender-process.ts is the entry that bench spawns for it. */
export async function runOne(args: RunArgs): Promise<RunOutput> {
  const urls = args.sites.map((s) => s.url);
  const verdicts: string[] = [];
  const times: number[] = [];
  let up = 0;
  let workerCpuMs = 0;
  let workerRssMb = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (args.contender === 'node-http') {
    await pool(urls.length, args.concurrency, async (i) => {
      const r = await nodeHttpHead(urls[i] as string);
      times.push(r.ms);
      if (r.ok) up++;
    });
  } else if (args.contender === 'undici') {
    // undici out of the box: its default Agent (a Pool per origin, keep-alive, its own timers).
    const dispatcher = new Agent();
    await pool(urls.length, args.concurrency, async (i) => {
      const s = performance.now();
      try {
        const res = await request(urls[i] as string, { method: 'HEAD', dispatcher });
        times.push(performance.now() - s);
        await res.body.dump();
        if (res.statusCode < 400) up++;
      } catch {
        times.push(performance.now() - s);
      }
    });
    await dispatcher.close();
  } else {
    const mode = args.contender.replace(/^sweep-/, '');
    if (!isModeName(mode)) throw new Error(`unknown contender ${args.contender}`);
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
    for (const r of results) {
      times.push(r.timings.totalMs);
      verdicts.push(r.ok ? 'ok' : r.kind);
      if (r.ok) up++;
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    contender: args.contender,
    checks: urls.length,
    up,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000) + workerCpuMs,
    // With worker processes: the sum of every process's peak, an upper bound of the total.
    peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024 + workerRssMb) * 10) / 10,
    medianMs: Math.round(median(times) * 10) / 10,
    verdicts,
  };
}
