import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { runPool, WorkerPool } from '../strategies/pool.js';
import type { SweepContext } from '../strategies/types.js';
import { startFixture } from './fixture.js';

/**
 * `npm run bench:pool [-- --sites 200 --sweeps 10 --workers 2 --concurrency 100 --repeat 3]`
 *
 * What `watch` saves by keeping its worker pool: the same sweeps of a local fixture (0 ms latency) run
 * with a new pool per sweep (as before) and with one pool kept across them, in threads and in processes.
 * Each variant runs in a process of its own under /usr/bin/time, so its CPU is the whole process tree's
 * (worker processes included), start-up included; wall is the mean of its sweeps, measured inside.
 */

const TIME = '/usr/bin/time';
const SELF = fileURLToPath(import.meta.url);

async function variant(kind: 'thread' | 'process', kept: boolean, urls: string[], v: Record<string, string>) {
  const sites: Site[] = urls.map((url) => ({ ...DEFAULT_OPTIONS, url, name: null, retries: 0 }));
  const ctx: SweepContext = {
    concurrency: Number(v.concurrency),
    workers: Number(v.workers),
    userAgent: 'uptime-squirrel/bench',
    secrets: [],
  };
  const pool = kept ? new WorkerPool(kind) : null;
  const walls: number[] = [];
  for (let i = 0; i < Number(v.sweeps); i++) {
    const start = performance.now();
    const results = pool ? await pool.run(sites, ctx) : await runPool(sites, ctx, kind);
    walls.push(performance.now() - start);
    if (results.some((r) => !r.ok)) throw new Error('a fixture site was down');
  }
  await pool?.close();
  process.stdout.write(`${JSON.stringify(walls)}\n`);
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      sites: { type: 'string', default: '200' },
      sweeps: { type: 'string', default: '10' },
      workers: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '100' },
      repeat: { type: 'string', default: '3' },
      variant: { type: 'string' },
      urls: { type: 'string' },
    },
  });
  if (v.variant !== undefined) {
    const [kind, kept] = v.variant.split(':');
    await variant(kind as 'thread' | 'process', kept === 'kept', JSON.parse(v.urls ?? '[]'), v);
    return;
  }
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed to measure the CPU of a process tree`);
  const fixture = await startFixture({ sites: Number(v.sites), latencyMs: 0, errorRate: 0 });
  const dir = mkdtempSync(join(os.tmpdir(), 'us-pool-bench-'));
  console.log(
    `# ${v.sites} local sites (0 ms), ${v.sweeps} sweeps per run, --workers ${v.workers}, --concurrency ` +
      `${v.concurrency}, ${v.repeat} interleaved runs, medians; ${os.cpus().length} cores, node ${process.version}`,
  );
  const variants = ['thread:new', 'thread:kept', 'process:new', 'process:kept'];
  const runs = new Map<string, Array<{ cpuMs: number; sweepMs: number }>>(variants.map((n) => [n, []]));
  try {
    for (let r = 0; r < Number(v.repeat); r++) {
      for (const name of variants) {
        const usage = join(dir, 'usage');
        const args = Object.entries(v).flatMap(([key, value]) =>
          key === 'repeat' ? [] : [`--${key}`, String(value)],
        );
        const child = spawnSync(
          TIME,
          [
            '-o',
            usage,
            '-f',
            '%U %S',
            process.execPath,
            SELF,
            ...args,
            '--variant',
            name,
            '--urls',
            JSON.stringify(fixture.urls),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        );
        if (child.status !== 0) throw new Error(`${name} exited with ${child.status}`);
        const walls = JSON.parse(child.stdout) as number[];
        const [user = 0, system = 0] =
          readFileSync(usage, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
        runs
          .get(name)
          ?.push({ cpuMs: (user + system) * 1000, sweepMs: walls.reduce((a, b) => a + b, 0) / walls.length });
      }
    }
  } finally {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const sweeps = Number(v.sweeps);
  console.log('variant        wall per sweep ms  CPU per sweep ms (process tree, start-up included)');
  for (const name of variants) {
    const rs = runs.get(name) ?? [];
    console.log(
      `${name.padEnd(14)} ${median(rs.map((x) => x.sweepMs))
        .toFixed(0)
        .padStart(18)} ${(median(rs.map((x) => x.cpuMs)) / sweeps).toFixed(0).padStart(17)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
