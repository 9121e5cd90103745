import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { status } from '../helpers/handlers.js';
import { resetMidResponse } from '../helpers/hostile.js';
import { type Handler, startHttpServer } from '../helpers/http-server.js';
import { freePort, refusedUrl } from '../helpers/ports.js';
import { childPids, waitFor } from '../helpers/proc-table.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startRawServer } from '../helpers/raw-server.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startWorker, type WorkerProcess } from './workers.js';

// The built bin end to end (`npm test` builds first; alone, run `npx tsc -p tsconfig.build.json`).

let redis: TestRedis;
const workers: WorkerProcess[] = [];
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop(2000)));
  await Promise.all(closers.splice(0).map((close) => close()));
  await redis.command('FLUSHALL');
  expect(await waitFor(() => childPids().every((pid) => pid === redis.pid), 3000)).toBe(true);
});

async function config(value: unknown): Promise<string> {
  const dir = await tempDir();
  closers.push(dir.cleanup);
  return writeJson(dir.path, 'sites.json', value);
}

async function serve(handler: Handler): Promise<string> {
  const server = await startHttpServer(handler);
  closers.push(server.close);
  return server.url;
}

async function workersUp(count: number): Promise<void> {
  const started = Array.from({ length: count }, () => startWorker(redis.url, ['-c', '8']));
  workers.push(...started);
  await Promise.all(started.map((w) => w.ready));
}

const check = (args: string[]) =>
  runBin(['check', ...args], { env: { NO_COLOR: '1', FORCE_COLOR: '' }, timeoutMs: 15_000 });
const verdicts = (results: Result[]) => results.map((r) => [r.url, r.ok, r.kind, r.status]);

describe('check --mode queue (built bin)', () => {
  it('gives the same verdicts as the async mode for a mixed fixture', async () => {
    const reset = await startRawServer(resetMidResponse());
    closers.push(reset.close);
    const bases = [
      await serve(status(200)),
      await serve(status(404)),
      await serve(status(500)),
      reset.url,
      (await refusedUrl()).replace(/\/$/, ''),
    ];
    const urls = Array.from({ length: 25 }, (_, i) => `${bases[i % bases.length]}/page-${i}`);
    const file = await config({ defaults: { retries: 0, timeoutMs: 3000 }, sites: urls });
    await workersUp(2);

    const local = await check([file, '--json', '--mode', 'async']);
    const queued = await check([
      file,
      '--json',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--deadline',
      '10s',
    ]);
    const a = JSON.parse(local.stdout);
    const q = JSON.parse(queued.stdout);

    expect(q.mode).toBe('queue');
    expect(verdicts(q.results)).toEqual(verdicts(a.results));
    expect(new Set(q.results.map((r: Result) => r.kind))).toEqual(
      new Set(['ok', 'http-status', 'reset', 'refused']),
    );
    // The other modes' summary keeps exactly its three counts; queue mode adds unchecked.
    expect(Object.keys(a.summary)).toEqual(['total', 'up', 'down']);
    expect(q.summary).toEqual({ ...a.summary, unchecked: 0 });
    expect([local.code, queued.code]).toEqual([1, 1]);
    expect(queued.stderr).toBe('');
  });

  it('reports a site without a result by --deadline as unchecked and exits 1', async () => {
    const up = await serve(status(200));
    const silent = await serve(() => {
      // Never answers: its check outlives the deadline.
    });
    const file = await config({
      sites: [
        { url: `${up}/`, name: 'fine' },
        { url: `${silent}/`, name: 'slow', timeoutMs: 2000 },
      ],
    });
    await workersUp(1);

    const json = await check([file, '--json', '--mode', 'queue', '--redis', redis.url, '--deadline', '1s']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.summary).toEqual({ total: 2, up: 1, down: 0, unchecked: 1 });
    expect(doc.results[1]).toMatchObject({ name: 'slow', ok: null, kind: 'unchecked', status: null });

    const table = await check([file, '--mode', 'queue', '--redis', redis.url, '--deadline', '1s']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^UNCHECKED {2}slow .* no result within the deadline \(1s\)$/m);
    expect(table.stdout).toMatch(/^UP {9}fine/m);
    expect(table.stdout).toContain('2 sites: 1 up, 0 down, 1 unchecked in');
  });

  it('names the unreachable Redis, without its password, and exits 3 quickly', async () => {
    const file = await config(['http://127.0.0.1:9/']);
    const url = `redis://squirrel:hunter2@127.0.0.1:${await freePort()}`;
    const run = await check([file, '--mode', 'queue', '--redis', url]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^error: cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain('hunter2');
    // Exit 3 by itself (not the 15 s kill of runBin): ioredis is not left retrying; how fast is a benchmark matter.

    const worker = await runBin(['worker', '--redis', url], { timeoutMs: 10_000 });
    expect(worker.code).toBe(3);
    expect(worker.stderr).toContain('cannot reach Redis at redis://***@127.0.0.1:');
    expect(worker.stderr).not.toContain('hunter2');
  });

  it('refuses queue mode without --redis, and --redis with another mode (exit 2)', async () => {
    const file = await config(['http://127.0.0.1:9/']);
    const missing = await check([file, '--mode', 'queue']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--mode queue needs --redis URL');
    const misplaced = await check([file, '--redis', redis.url]);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--redis applies to --mode queue only');
    const bad = await check([file, '--mode', 'queue', '--redis', 'http://user:hunter2@host/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--redis must be a redis:// or rediss:// URL');
    expect(bad.stderr).not.toContain('hunter2');
  });
});

describe('watch --mode queue (built bin)', () => {
  it('runs a cycle through the workers and records the verdicts, as the other modes do', async () => {
    await workersUp(1);
    const up = await serve(status(200));
    const down = await serve(status(503));
    const file = await config({ sites: [`${up}/a`, `${down}/b`], defaults: { retries: 0 } });
    const dir = await tempDir();
    closers.push(dir.cleanup);
    const db = `${dir.path}/watch.db`;

    const watch = await runBin(
      ['watch', file, '--once', '--db', db, '--mode', 'queue', '--redis', redis.url],
      {
        env: { NO_COLOR: '1' },
        timeoutMs: 15_000,
      },
    );
    expect(watch.stderr).toMatch(/1 up, 1 down/);
    expect(watch.code).toBe(0);

    const report = await runBin(['report', '--db', db, '--json'], { timeoutMs: 8000 });
    const sites = (
      JSON.parse(report.stdout) as { sites: Array<{ url: string; state: string; checks: number }> }
    ).sites;
    const byUrl = Object.fromEntries(sites.map((s) => [s.url, [s.state, s.checks]]));
    expect(byUrl).toEqual({ [`${up}/a`]: ['up', 1], [`${down}/b`]: ['down', 1] });
  });

  it('refuses queue mode without --redis before opening anything (exit 2)', async () => {
    const file = await config([`${await serve(status(200))}/`]);
    const watch = await runBin(['watch', file, '--once', '--mode', 'queue'], {
      env: { UPTIME_SQUIRREL_REDIS_URL: '' },
      timeoutMs: 8000,
    });
    expect(watch.code).toBe(2);
    expect(watch.stderr).toMatch(/--mode queue needs --redis/);
  });
});
