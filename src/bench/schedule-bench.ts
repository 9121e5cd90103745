import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config/load.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { WatchStore } from '../store/store.js';
import { STRATEGIES } from '../strategies/index.js';
import { siteKey } from '../util/site-key.js';
import { planEntries } from '../watch/batches.js';
import { runDaemon } from '../watch/daemon.js';
import { CheckDurations } from '../watch/history-order.js';
import { createLogger } from '../watch/log.js';
import { IntervalPlan, SLOT_MS, siteOffset, slotAtOrAfter } from '../watch/plan.js';
import { sweepAndCommit } from '../watch/sweep.js';
import { startFixture } from './fixture.js';

/**
 * `node dist/bench/schedule-bench.js [--skip simulated,real,history] [--fast 2000] [--slow 20000]
 *   [--minutes 11] [--history-sites 2000] [--concurrency 100]`
 *
 * 1. simulated: the scheduler's plan (watch/plan.ts) for --fast sites every minute and --slow every
 *    5 minutes, over an hour of simulated time, checks taking 20-300 ms and committed at the next
 *    whole second as the daemon does: the gaps between a site's checks against its interval.
 * 2. real: the daemon (runDaemon, what `watch` runs) on the benchmark fixture with the same sites for
 *    --minutes of real time: each check's start against its slot (lateness) and the gaps between a
 *    site's checks against its interval; lateness early and late in the run (drift).
 * 3. history: one sweep of watch (sweepAndCommit) twice over --history-sites sites (20-300 ms, 1%
 *    hanging to the 5 s timeout, 5 refusing) at --concurrency: the second sweep's wall time against
 *    the bound max(longest check, total check time / concurrency), in history order and config order.
 */

const MINUTE = 60_000;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
const maxOf = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
/** A deterministic spread in [0, 1) per index. */
const noise = (i: number) => {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return x - Math.floor(x);
};
const latencyOf = (i: number) => Math.round(20 + 280 * noise(i));

function intervalSites(urls: string[], fast: number): Site[] {
  return urls.map((url, i) => ({
    ...DEFAULT_OPTIONS,
    url,
    name: null,
    interval: i < fast ? MINUTE : 5 * MINUTE,
  }));
}

/** Gaps between consecutive starts, as a share of the interval off it; per site. */
function deviations(starts: Map<string, number[]>, intervalOf: (key: string) => number): number[] {
  const out: number[] = [];
  for (const [key, list] of starts) {
    const interval = intervalOf(key);
    for (let k = 1; k < list.length; k++) {
      out.push(Math.abs((list[k] as number) - (list[k - 1] as number) - interval) / interval);
    }
  }
  return out;
}

function report(name: string, devs: number[], checks: number): void {
  console.log(
    `${name}: ${checks} checks, ${devs.length} gaps; deviation from the interval: median ${pct(quantile(devs, 0.5))}, ` +
      `p99 ${pct(quantile(devs, 0.99))}, max ${pct(maxOf(devs))}; over 5%: ${devs.filter((d) => d > 0.05).length}`,
  );
}

function simulated(fast: number, slow: number): void {
  const sites = intervalSites(
    Array.from({ length: fast + slow }, (_v, i) => `http://10.0.${i >> 8}.${i & 255}:8080/`),
    fast,
  );
  const entries = planEntries(sites, '*/5 * * * *');
  const intervalByKey = new Map(entries.map((e) => [e.key, e.cadence.periodMs]));
  const indexByKey = new Map(entries.map((e, i) => [e.key, i]));
  const t0 = Date.parse('2030-01-01T00:00:00Z') + 123;
  const plan = new IntervalPlan(entries, t0);
  const starts = new Map<string, number[]>();
  let ends: { key: string; at: number }[] = [];
  let checks = 0;
  let busiest = 0;
  const t = performance.now();
  for (let now = t0; now <= t0 + 60 * MINUTE; now = (Math.floor(now / SLOT_MS) + 1) * SLOT_MS) {
    // As batches.ts: each wake commits what finished (freeing those sites), then starts what is due.
    for (const e of ends) if (e.at <= now) plan.done(e.key, e.at);
    ends = ends.filter((e) => e.at > now);
    const due = plan.due(now);
    busiest = Math.max(busiest, due.length);
    for (const d of due) {
      checks++;
      const list = starts.get(d.key) ?? [];
      list.push(now);
      starts.set(d.key, list);
      ends.push({ key: d.key, at: now + latencyOf(indexByKey.get(d.key) ?? 0) });
    }
  }
  console.log(
    `# simulated: ${fast} sites every 1 m + ${slow} every 5 m, one hour, checks 20-300 ms ` +
      `(${Math.round(performance.now() - t)} ms of CPU for the hour's plan; at most ${busiest} checks started in one second)`,
  );
  report(
    'simulated',
    deviations(starts, (k) => intervalByKey.get(k) ?? MINUTE),
    checks,
  );
}

async function real(fast: number, slow: number, minutes: number, concurrency: number): Promise<void> {
  const fixture = await startFixture({ sites: fast + slow, latencyMs: 100, errorRate: 0.02 });
  const dir = mkdtempSync(join(os.tmpdir(), 'uptime-squirrel-schedule-bench-'));
  try {
    const config = join(dir, 'sites.json');
    const sites = fixture.urls.map((url, i) => ({ url, interval: i < fast ? '1m' : '5m' }));
    writeFileSync(config, JSON.stringify({ defaults: { retries: 0, timeoutMs: 5000 }, sites }));
    console.log(
      `\n# real: the daemon, ${fast} fixture sites every 1 m + ${slow} every 5 m (100 ms, 2% failing), ` +
        `${minutes} minutes, concurrency ${concurrency}; ${os.cpus().length} cores, node ${process.version}`,
    );
    const starts = new Map<string, number[]>();
    const lateness: { at: number; ms: number }[] = [];
    const intervalOf = new Map(fixture.urls.map((url, i) => [siteKey(url), i < fast ? MINUTE : 5 * MINUTE]));
    let sweeps = 0;
    const stop = new AbortController();
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const timer = setTimeout(() => stop.abort(), minutes * MINUTE);
    await runDaemon({
      configFile: config,
      env: process.env,
      dbFile: join(dir, 'watch.db'),
      schedule: '*/5 * * * *',
      once: false,
      mode: 'async',
      concurrency,
      retentionMs: 90 * 24 * 60 * MINUTE,
      keepRawMs: 2 * 24 * 60 * MINUTE,
      logger: createLogger({ write: () => true }, 'json'),
      signal: stop.signal,
      observer: {
        start: async () => {},
        reload: () => {},
        stop: async () => {},
        sweep: (view) => {
          sweeps++;
          view.sites.forEach((site, i) => {
            const result = view.results[i];
            if (result === undefined) return;
            const key = siteKey(site.url);
            const at = Date.parse(result.checkedAt);
            const interval = intervalOf.get(key) ?? MINUTE;
            const slot = slotAtOrAfter(at - interval + 1, interval, siteOffset(key, interval));
            lateness.push({ at, ms: at - slot });
            const list = starts.get(key) ?? [];
            list.push(at);
            starts.set(key, list);
          });
        },
      },
    });
    clearTimeout(timer);
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - t0);
    console.log(
      `real: the daemon's process used ${pct(cpuShare)} of one core (${((cpu.user + cpu.system) / 1000 / Math.max(1, lateness.length)).toFixed(2)} ms of CPU per check); load average at the end ${os.loadavg()[0]?.toFixed(1)}`,
    );
    const ms = lateness.map((l) => l.ms);
    report(
      'real',
      deviations(starts, (k) => intervalOf.get(k) ?? MINUTE),
      ms.length,
    );
    const tenth = (minutes * MINUTE) / 10;
    const early = lateness.filter((l) => l.at < t0 + tenth + MINUTE && l.at >= t0 + MINUTE).map((l) => l.ms);
    const late = lateness.filter((l) => l.at >= t0 + minutes * MINUTE - tenth).map((l) => l.ms);
    console.log(
      `real: ${sweeps} sweeps committed; check start after its slot: median ${quantile(ms, 0.5)} ms, p99 ${quantile(ms, 0.99)} ms, ` +
        `max ${maxOf(ms)} ms; median in the run's second minute ${quantile(early, 0.5)} ms, in its last tenth ${quantile(late, 0.5)} ms (drift: none if equal)`,
    );
  } finally {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The history fixture: a child process listening per site with its own latency, hanging or refusing. */
function historyFixture(n: number): Promise<{ urls: string[]; close: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), ['--fixture', String(n)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (urls) => resolve({ urls: urls as string[], close: () => child.kill('SIGTERM') }));
  });
}

/** Site i: hangs when i % 100 === 50 (1%), refused for 5 sites, else answers after 20-300 ms. */
async function serveFixture(n: number): Promise<void> {
  const refused = new Set([7, 407, 807, 1207, 1607].map((i) => i % n));
  const urls: string[] = [];
  const toClose: net.Server[] = [];
  for (let i = 0; i < n; i++) {
    const hang = i % 100 === 50;
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      if (hang) return;
      socket.once('data', () => {
        setTimeout(
          () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
          latencyOf(i),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    urls.push(`http://127.0.0.1:${port}/`);
    if (refused.has(i)) toClose.push(server);
  }
  // Ports that were listening and are closed once all are taken (so none is handed out again): refused.
  for (const server of toClose) server.close();
  process.send?.(urls);
}

async function history(n: number, concurrency: number): Promise<void> {
  const fixture = await historyFixture(n);
  const dir = mkdtempSync(join(os.tmpdir(), 'uptime-squirrel-history-bench-'));
  console.log(
    `\n# history: ${n} sites (20-300 ms, 1% hanging to the 5 s timeout, 5 refusing), concurrency ${concurrency}, ` +
      'two sweeps of watch each way',
  );
  try {
    const config = parseConfig(
      JSON.stringify({ defaults: { retries: 0, timeoutMs: 5000 }, sites: fixture.urls, offline: false }),
      'sites.json',
      {},
    );
    for (const ordered of [true, false]) {
      const store = WatchStore.open(join(dir, `${ordered}.db`), { durable: false });
      const durations = ordered ? new CheckDurations() : undefined;
      for (let sweep = 1; sweep <= 2; sweep++) {
        let longest = 0;
        let total = 0;
        let wall = 0;
        await sweepAndCommit(
          config,
          {
            store,
            logger: createLogger({ write: () => true }, 'json'),
            strategy: STRATEGIES.async,
            sweep: { concurrency, userAgent: USER_AGENT },
            offlineRule: null,
            onEvents: async () => {},
            onCommitted: (view) => {
              wall = Date.parse(view.sweep.finishedAt) - Date.parse(view.sweep.startedAt);
              for (const r of view.results) {
                longest = Math.max(longest, r?.durationMs ?? 0);
                total += r?.durationMs ?? 0;
              }
            },
            clock: Date.now,
            durations,
          },
          { skipped: 0 },
          undefined,
        );
        const bound = Math.max(longest, total / concurrency);
        console.log(
          `${ordered ? 'history order' : 'config order '} sweep ${sweep}: ${(wall / 1000).toFixed(2)} s; bound max(longest ${(longest / 1000).toFixed(2)} s, ` +
            `total ${(total / 1000).toFixed(1)} s / ${concurrency}) = ${(bound / 1000).toFixed(2)} s; ratio ${(wall / bound).toFixed(3)}`,
        );
      }
      store.close();
    }
  } finally {
    fixture.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      fast: { type: 'string', default: '2000' },
      slow: { type: 'string', default: '20000' },
      minutes: { type: 'string', default: '11' },
      'history-sites': { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '100' },
      skip: { type: 'string', default: '' },
    },
  });
  const skip = v.skip ?? '';
  const [fast, slow, concurrency] = [Number(v.fast), Number(v.slow), Number(v.concurrency)];
  if (!skip.includes('simulated')) simulated(fast, slow);
  if (!skip.includes('history')) await history(Number(v['history-sites']), concurrency);
  if (!skip.includes('real')) await real(fast, slow, Number(v.minutes), concurrency);
}

const run = process.argv[2] === '--fixture' ? serveFixture(Number(process.argv[3])) : main();
run.catch((err) => {
  console.error(err);
  process.exit(1);
});
