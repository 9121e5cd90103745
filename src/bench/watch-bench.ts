import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Result } from '../core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { HOUR_MS } from '../store/retention.js';
import { WatchStore } from '../store/store.js';
import { isModeName } from '../strategies/index.js';
import { runDaemon } from '../watch/daemon.js';
import { DEFAULT_OFFLINE_RULE } from '../watch/evaluate.js';
import { createLogger } from '../watch/log.js';
import { loopScheduler } from '../watch/scheduler.js';
import { recordSweep } from '../watch/sweep.js';
import { startFixture } from './fixture.js';

/**
 * `node dist/bench/watch-bench.js [--sites 1000] [--sweeps 1000] [--latency 10] [--concurrency 100]
 *   [--mode async] [--gc] [--store-sites 1000] [--store-days 3] [--skip daemon|store]`
 *
 * 1. The daemon (runDaemon, the code `watch` runs, in its own process) sweeps a local fixture of
 *    --sites origins --sweeps times back to back; after every sweep its RSS and open file descriptors
 *    are read from /proc/PID. Flat means no leak of memory, sockets or database handles.
 * 2. Database bytes per result and per hourly rollup row, measured with SQLite's dbstat on a store fed
 *    --store-days of synthetic 5-minute sweeps of --store-sites sites, then rolled up; and the size that
 *    gives for 10,000 sites every 5 minutes kept 90 days (2 days raw).
 */

const DAY_MS = 24 * HOUR_MS;

interface Sample {
  sweep: number;
  rssMb: number;
  fds: number;
  ms: number;
  /** V8 heap in use right after a full GC (with --gc). */
  heapMb: number | null;
}

function procStats(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb / 102.4) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function daemonPhase(v: Record<string, string>, dir: string): Promise<void> {
  const sites = Number(v.sites);
  const sweeps = Number(v.sweeps);
  const fixture = await startFixture({ sites, latencyMs: Number(v.latency), errorRate: 0.02 });
  const config = join(dir, 'sites.json');
  writeFileSync(config, JSON.stringify({ defaults: { retries: 0, timeoutMs: 5000 }, sites: fixture.urls }));
  const db = join(dir, 'daemon.db');
  console.log(
    `# daemon: ${sites} local sites (2% failing), ${sweeps} sweeps back to back, latency ${v.latency} ms, ` +
      `mode ${v.mode}, concurrency ${v.concurrency}; ${os.cpus().length} cores, node ${process.version}`,
  );
  // IPC: after each sweep's commit (sockets closed, nothing in flight) the daemon asks to be measured and
  // waits; /proc/PID is read from here, then it goes on. With --gc it collects garbage first and reports
  // its live heap, which tells a leak (growing) from V8 keeping freed heap pages for later (flat).
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--daemon', config, db, String(sweeps), String(v.mode), String(v.concurrency)],
    { stdio: ['ignore', 'inherit', 'ignore', 'ipc'], execArgv: v.gc === 'true' ? ['--expose-gc'] : [] },
  );
  const pid = child.pid as number;
  const samples: Sample[] = [];
  child.on('message', (message) => {
    const { sweep, ms, heapMb } = message as { sweep: number; ms: number; heapMb: number | null };
    samples.push({ sweep, ms, heapMb, ...procStats(pid) });
    if (sweep % 100 === 0) process.stderr.write(`  ${sweep} sweeps\n`);
    child.send('go');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await fixture.close();
  if (code !== 0) throw new Error(`the daemon exited with code ${code}`);

  console.log('sweep     RSS MB   open fds   sweep ms   heap after GC MB');
  const marks = new Set([
    1,
    2,
    10,
    100,
    Math.round(sweeps / 4),
    Math.round(sweeps / 2),
    Math.round((3 * sweeps) / 4),
    sweeps,
  ]);
  for (const s of samples.filter((x) => marks.has(x.sweep))) {
    console.log(
      `${String(s.sweep).padStart(5)} ${s.rssMb.toFixed(1).padStart(10)} ${String(s.fds).padStart(10)} ${String(s.ms).padStart(10)} ${(s.heapMb === null ? '-' : s.heapMb.toFixed(1)).padStart(18)}`,
    );
  }
  const settled = samples.filter((s) => s.sweep > Math.min(100, sweeps / 10));
  const firstTenth = settled.slice(0, Math.max(1, Math.floor(settled.length / 10)));
  const lastTenth = settled.slice(-Math.max(1, Math.floor(settled.length / 10)));
  const rss = settled.map((s) => s.rssMb);
  const fds = settled.map((s) => s.fds);
  const heap = settled.flatMap((s) => (s.heapMb === null ? [] : [s.heapMb]));
  console.log(
    `after warm-up: RSS ${Math.min(...rss)}-${Math.max(...rss)} MB (median of first tenth ${median(firstTenth.map((s) => s.rssMb))}, ` +
      `last tenth ${median(lastTenth.map((s) => s.rssMb))}); open fds ${Math.min(...fds)}-${Math.max(...fds)}; ` +
      `median sweep ${median(samples.map((s) => s.ms))} ms` +
      (heap.length > 0 ? `; heap after GC ${Math.min(...heap)}-${Math.max(...heap)} MB` : ''),
  );
  const store = WatchStore.open(db);
  store.checkpoint();
  const results = store.rows('results');
  store.close();
  const bytes = statSync(db).size;
  console.log(
    `database after the run: ${(bytes / 1e6).toFixed(1)} MB for ${results} results = ${Math.round(bytes / results)} bytes per result, file included`,
  );
}

function tableBytes(store: WatchStore, table: string): number {
  // Each WITHOUT ROWID table is its own b-tree; indexes are reported under their own names.
  return store.bytes(table);
}

function syntheticResult(site: Site, i: number, t: number): Result {
  // Deterministic spread of times around 150 ms, and 1% of checks failing.
  const x = Math.sin(i * 12.9898 + t * 78.233) * 43758.5453;
  const noise = x - Math.floor(x);
  const ok = noise > 0.01;
  const totalMs = Math.round(60 + 180 * noise * noise + (i % 7) * 10);
  return {
    url: site.url,
    name: null,
    ok,
    status: ok ? 200 : 503,
    method: 'HEAD',
    kind: ok ? 'ok' : 'http-status',
    error: ok ? null : 'HTTP 503, expected 200-399',
    attempts: 1,
    redirects: 0,
    timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: totalMs - 1, totalMs },
    durationMs: totalMs,
    checkedAt: new Date(t + i * 3).toISOString(),
  };
}

function storePhase(v: Record<string, string>, dir: string): void {
  const n = Number(v['store-sites']);
  const days = Number(v['store-days']);
  const file = join(dir, 'store.db');
  // Only the size is measured here: no fsync per commit.
  const store = WatchStore.open(file, { durable: false });
  const sites: Site[] = Array.from({ length: n }, (_v, i) => ({
    ...DEFAULT_OPTIONS,
    url: `https://site-${i}.example.com/health`,
    name: null,
  }));
  const t0 = Date.parse('2030-01-01T00:00:00Z');
  const step = 5 * 60_000;
  const sweeps = (days * DAY_MS) / step;
  for (let k = 0; k < sweeps; k++) {
    const t = t0 + k * step;
    recordSweep(
      store,
      {
        sites,
        results: sites.map((s, i) => syntheticResult(s, i, t)),
        startedAt: t,
        finishedAt: t + 5000,
        aborted: false,
        skippedTicks: 0,
      },
      DEFAULT_OFFLINE_RULE,
    );
  }
  store.checkpoint();
  const results = store.rows('results');
  const resultBytes = tableBytes(store, 'results');
  const perResult = resultBytes / results;
  const fileBefore = statSync(file).size;
  // Roll every hour up (keep 1 h raw), as retention does for results older than --keep-raw.
  const end = t0 + days * DAY_MS + HOUR_MS;
  while (
    store.retain(end, { retentionMs: 90 * DAY_MS, keepRawMs: HOUR_MS, maxHours: 1000 }).hoursRolledUp > 0
  ) {}
  store.checkpoint();
  const rollups = store.rows('rollups');
  const perRollup = tableBytes(store, 'rollups') / rollups;
  const sweepRows = store.rows('sweeps');
  const perSweep = (tableBytes(store, 'sweeps') + tableBytes(store, 'sweeps_by_time')) / sweepRows;
  store.close();

  console.log(
    `\n# store: ${n} synthetic sites every 5 minutes for ${days} days = ${results} results (1% failing)`,
  );
  console.log(
    `results table: ${(resultBytes / 1e6).toFixed(1)} MB = ${perResult.toFixed(1)} bytes per result = ` +
      `${((perResult * 1e6) / 1e6).toFixed(1)} MB per million results (file ${(fileBefore / 1e6).toFixed(1)} MB)`,
  );
  console.log(`rollups table: ${rollups} hourly rows, ${perRollup.toFixed(1)} bytes per row`);
  console.log(`sweeps table: ${perSweep.toFixed(1)} bytes per sweep, its index included`);
  const raw = 10_000 * 288 * 2;
  const hourly = 10_000 * 24 * 90;
  const sweepsKept = 288 * 90;
  const total = raw * perResult + hourly * perRollup + sweepsKept * perSweep;
  console.log(
    `10,000 sites every 5 minutes, 90 days (2 days raw): ${raw / 1e6}M raw results x ${perResult.toFixed(1)} B + ` +
      `${hourly / 1e6}M hourly rows x ${perRollup.toFixed(1)} B + ${sweepsKept} sweeps x ${perSweep.toFixed(1)} B ` +
      `= ${(total / 1e9).toFixed(2)} GB (plus events and incidents: a few hundred bytes each)`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '1000' },
      sweeps: { type: 'string', default: '1000' },
      latency: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '100' },
      mode: { type: 'string', default: 'async' },
      'store-sites': { type: 'string', default: '1000' },
      'store-days': { type: 'string', default: '3' },
      skip: { type: 'string', default: '' },
      gc: { type: 'boolean', default: false },
    },
  });
  const v = { ...values, gc: String(values.gc) } as Record<string, string>;
  const dir = mkdtempSync(join(os.tmpdir(), 'uptime-squirrel-watch-bench-'));
  try {
    if (!(v.skip ?? '').includes('daemon')) await daemonPhase(v, dir);
    if (!(v.skip ?? '').includes('store')) storePhase(v, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The measured process: the daemon, sweeping back to back, logging JSON lines on stderr. */
async function daemon(args: string[]): Promise<void> {
  const [config = '', db = '', sweeps = '1', mode = 'async', concurrency = '100'] = args;
  if (!isModeName(mode)) throw new Error(`unknown mode ${mode}`);
  await runDaemon({
    configFile: config,
    env: process.env,
    dbFile: db,
    schedule: 'back to back',
    once: false,
    mode,
    concurrency: Number(concurrency),
    retentionMs: 90 * DAY_MS,
    keepRawMs: 2 * DAY_MS,
    logger: createLogger({ write: () => true }, 'json'),
    scheduler: loopScheduler(Number(sweeps)),
    onEvents: (_events, sweep) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const heapMb = gc ? Math.round(process.memoryUsage().heapUsed / 104_857.6) / 10 : null;
      const ms = Date.parse(sweep.finishedAt) - Date.parse(sweep.startedAt);
      return new Promise<void>((resolve) => {
        process.once('message', () => resolve());
        process.send?.({ sweep: sweep.id, ms, heapMb });
      });
    },
  });
  process.disconnect?.();
}

if (process.argv[2] === '--daemon') {
  daemon(process.argv.slice(3)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
