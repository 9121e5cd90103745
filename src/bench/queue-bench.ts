import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { STRATEGIES } from '../strategies/index.js';
import { runQueueSweep } from '../strategies/queue/coordinator.js';
import { startFixture } from './fixture.js';
import { freeLoopbackPort } from './ports.js';
import { processCpuMs } from './proc-stat.js';

/**
 * `npm run build && node dist/bench/queue-bench.js --sites 20000 --latency 200 --concurrency 128 --workers 1,2,4`
 *
 * Queue mode on one machine: 1, 2 and 4 `uptime-squirrel worker` processes (each --concurrency N)
 * sweep a local fixture through a Redis queue, with this process as the coordinator; the async mode
 * with the same per-process concurrency is the baseline. Prints wall time, checks/s, the CPU of the
 * coordinator, the workers and redis-server, and the Redis commands per check: the figures the
 * scaling arithmetic in docs/QUEUE.md starts from. Without --redis a private redis-server is started.
 */

const bin = fileURLToPath(new URL('../../bin/uptime-squirrel.js', import.meta.url));

/** The summed CPU of several processes; NaN when one cannot be read. */
function cpuOfAll(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? Number.NaN), 0);
}

async function startRedisServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freeLoopbackPort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) break;
    if (tries > 100) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
}

function startWorker(redisUrl: string, concurrency: number): Worker {
  const child = spawn(process.execPath, [bin, 'worker', '--redis', redisUrl, '-c', String(concurrency)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      log += text;
      if (log.includes('taking batches from')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${log}`)));
  });
  return { child, ready };
}

async function redisStats(redis: Redis): Promise<{ cpuMs: number; commands: number }> {
  const info = await redis.info();
  const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return {
    cpuMs: (value('used_cpu_sys') + value('used_cpu_user')) * 1000,
    commands: value('total_commands_processed'),
  };
}

interface Row {
  label: string;
  wallMs: number;
  up: number;
  coordinatorCpuMs: number;
  workersCpuMs: number | null;
  /** The fixture's CPU: it shares the machine, and with it the cores the others could use. */
  fixtureCpuMs: number | null;
  redisCpuMs: number | null;
  redisCommands: number | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '20000' },
      latency: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '128' },
      workers: { type: 'string', default: '1,2,4' },
      redis: { type: 'string' },
      baseline: { type: 'string', default: 'yes' },
    },
  });
  const count = Number(values.sites);
  const latencyMs = Number(values.latency);
  const concurrency = Number(values.concurrency);
  const workerCounts = String(values.workers).split(',').map(Number);
  const ownRedis = values.redis === undefined ? await startRedisServer() : null;
  const redisUrl = values.redis ?? ownRedis?.url ?? '';
  const stats = new Redis(redisUrl);
  const fixture = await startFixture({ sites: count, latencyMs, errorRate: 0 });
  const sites: Site[] = fixture.urls.map((url) => ({ ...DEFAULT_OPTIONS, url, name: null, retries: 0 }));
  const ctx = { concurrency, userAgent: USER_AGENT, secrets: [] };
  const rows: Row[] = [];
  console.log(
    `# ${count} origins, latency ${latencyMs} ms, --concurrency ${concurrency} per process; ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}`,
  );
  try {
    if (values.baseline === 'yes') {
      const fixture0 = cpuOfAll(fixture.pids);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const results = await STRATEGIES.async.run(sites, ctx);
      const cpu = process.cpuUsage(cpu0);
      const fixtureCpu = cpuOfAll(fixture.pids) - fixture0;
      rows.push({
        label: 'async, 1 process (no queue)',
        wallMs: performance.now() - t0,
        up: results.filter((r) => r.ok).length,
        coordinatorCpuMs: (cpu.user + cpu.system) / 1000,
        workersCpuMs: null,
        fixtureCpuMs: Number.isNaN(fixtureCpu) ? null : fixtureCpu,
        redisCpuMs: null,
        redisCommands: null,
      });
      printRow(rows.at(-1) as Row, count);
    }
    for (const n of workerCounts) {
      const workers = Array.from({ length: n }, () => startWorker(redisUrl, concurrency));
      await Promise.all(workers.map((w) => w.ready));
      const cpuOf = () => cpuOfAll(workers.map((w) => w.child.pid ?? 0));
      const workers0 = cpuOf();
      const redis0 = await redisStats(stats);
      const fixture0 = cpuOfAll(fixture.pids);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const results = await runQueueSweep(sites, ctx, { redisUrl, deadlineMs: 600_000 });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const redis1 = await redisStats(stats);
      const workersCpu = cpuOf() - workers0;
      const fixtureCpu = cpuOfAll(fixture.pids) - fixture0;
      rows.push({
        label: `queue, ${n} worker${n === 1 ? '' : 's'}`,
        wallMs,
        up: results.filter((r) => r.ok).length,
        coordinatorCpuMs: (cpu.user + cpu.system) / 1000,
        workersCpuMs: Number.isNaN(workersCpu) ? null : workersCpu,
        fixtureCpuMs: Number.isNaN(fixtureCpu) ? null : fixtureCpu,
        redisCpuMs: redis1.cpuMs - redis0.cpuMs,
        // Minus the two INFO calls of the measurement itself.
        redisCommands: redis1.commands - redis0.commands - 1,
      });
      printRow(rows.at(-1) as Row, count);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.child.once('exit', () => resolve());
              w.child.kill('SIGTERM');
            }),
        ),
      );
    }
  } finally {
    stats.disconnect();
    await fixture.close();
    await ownRedis?.stop();
  }
}

let headed = false;
function printRow(r: Row, count: number): void {
  if (!headed) {
    headed = true;
    console.log(
      '| run | wall | checks/s | up | coordinator CPU | workers CPU | redis CPU | fixture CPU | redis commands/check |\n' +
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
  }
  const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
  console.log(
    `| ${r.label} | ${s(r.wallMs)} | ${Math.round((count / r.wallMs) * 1000)} | ${r.up} | ${s(r.coordinatorCpuMs)} | ` +
      `${s(r.workersCpuMs)} | ${s(r.redisCpuMs)} | ${s(r.fixtureCpuMs)} | ${r.redisCommands === null ? '-' : (r.redisCommands / count).toFixed(2)} |`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
