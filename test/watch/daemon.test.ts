import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepSummary, WatchEvent } from '../../src/core/events.js';
import { acquireLock } from '../../src/store/lock.js';
import { openDatabase } from '../../src/store/open.js';
import { STRATEGIES, type Strategy } from '../../src/strategies/index.js';
import { type DaemonOptions, runDaemon } from '../../src/watch/daemon.js';
import { createLogger } from '../../src/watch/log.js';
import { loopScheduler } from '../../src/watch/scheduler.js';
import { tempDir, writeJson } from '../helpers/processes.js';
import { type Capture, capture } from './helpers/capture.js';
import { type SwitchServer, startSwitchServer } from './helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let a: SwitchServer;
let b: SwitchServer;
let configFile: string;
let dbFile: string;
let log: Capture;

beforeEach(async () => {
  dir = await tempDir();
  a = await startSwitchServer(200);
  b = await startSwitchServer(200);
  configFile = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0, timeoutMs: 5000 },
    sites: [
      { url: `${a.url}/`, name: 'A' },
      { url: `${b.url}/`, name: 'B' },
    ],
  });
  dbFile = join(dir.path, 'watch.db');
  log = capture();
});
afterEach(async () => {
  await a.close();
  await b.close();
  await dir.cleanup();
});

function options(extra: Partial<DaemonOptions> = {}): DaemonOptions {
  return {
    configFile,
    env: {},
    dbFile,
    schedule: '* * * * * *',
    once: false,
    mode: 'async',
    concurrency: 4,
    retentionMs: 90 * 86_400_000,
    keepRawMs: 2 * 86_400_000,
    logger: createLogger(log, 'json'),
    ...extra,
  };
}

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbFile, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('the daemon, in process', () => {
  it('raises down then up across sweeps, and calls the hook after each commit with durable events', async () => {
    const seen: { events: WatchEvent[]; sweep: SweepSummary; stored: number }[] = [];
    const plan = [200, 503, 503, 200];
    let sweepNo = 0;
    a.set(plan[0] as number);
    await runDaemon(
      options({
        scheduler: loopScheduler(plan.length),
        onEvents: (events, sweep) => {
          // Read through another connection: the events must already be committed.
          const stored = readDb((db) => db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number);
          seen.push({ events: [...events], sweep, stored });
          sweepNo++;
          a.set(plan[sweepNo] ?? 200);
        },
      }),
    );
    expect(seen.map((s) => s.events.map((e) => `${e.type} ${e.site?.name}`))).toEqual([
      [],
      ['down A'],
      [],
      ['up A'],
    ]);
    expect(seen.map((s) => s.stored)).toEqual([0, 1, 1, 2]);
    expect(seen.map((s) => [s.sweep.up, s.sweep.down])).toEqual([
      [2, 0],
      [1, 1],
      [1, 1],
      [2, 0],
    ]);
    const up = seen[3]?.events[0];
    expect(up?.incidentId).toBe(seen[1]?.events[0]?.incidentId);
    expect(up?.downForMs).toBeGreaterThan(0);
    const json = log.lines().map((l) => JSON.parse(l) as { msg: string; level: string });
    expect(json.filter((l) => l.msg === 'sweep')).toHaveLength(4);
    expect(json.filter((l) => l.msg === 'event').map((l) => l.level)).toEqual(['warn', 'info']);
    expect(json.at(-1)?.msg).toBe('stopped after 4 sweeps');
    // The lock is released on the way out.
    expect(readDb((db) => db.prepare('SELECT COUNT(*) FROM lock').pluck().get())).toBe(0);
  });

  it('reloads the config on SIGHUP, and keeps the old one when the new one is invalid', async () => {
    const signals = new EventEmitter();
    const counts: number[] = [];
    let sweepNo = 0;
    await runDaemon(
      options({
        signals,
        scheduler: loopScheduler(3),
        onEvents: async (_events, sweep) => {
          counts.push(sweep.sites);
          sweepNo++;
          if (sweepNo === 1) {
            await writeFile(configFile, '{ "sites": [ "http://x.example/", ] }');
            signals.emit('SIGHUP');
            await log.waitFor(/config reload failed/);
          }
          if (sweepNo === 2) {
            await writeJson(dir.path, 'sites.json', [`${a.url}/only`]);
            signals.emit('SIGHUP');
            await log.waitFor(/config reloaded/);
          }
        },
      }),
    );
    expect(counts).toEqual([2, 2, 1]);
    const failed = JSON.parse(await log.waitFor(/config reload failed/)) as {
      level: string;
      msg: string;
      code: string;
    };
    expect(failed).toMatchObject({ level: 'error', code: 'US_ERR_CONFIG' });
    expect(failed.msg).toMatch(
      /still watching the previous 2 sites: Invalid config .*sites\.json:1:\d+: \(root\): invalid JSON.*trailing comma/s,
    );
    expect(signals.listenerCount('SIGHUP')).toBe(0);
  });

  it('on abort, records the checks that finished, drops the one in flight and returns', async () => {
    b.set('hang');
    const controller = new AbortController();
    // B hangs; A answers at once: stop as soon as A's result is in.
    const stopAfterFirst: Strategy = {
      description: 'async, aborted after the first result',
      run: (sites, ctx) =>
        STRATEGIES.async.run(sites, {
          ...ctx,
          onResult: (result, index) => {
            ctx.onResult?.(result, index);
            controller.abort();
          },
        }),
    };
    const started = Date.now();
    await runDaemon(options({ signal: controller.signal, strategy: stopAfterFirst }));
    expect(Date.now() - started).toBeLessThan(3000);
    const rows = readDb((db) => ({
      sweeps: db.prepare('SELECT checked, aborted FROM sweeps').all(),
      results: db.prepare('SELECT s.url FROM results r JOIN sites s ON s.id = r.site_id').pluck().all(),
      states: db.prepare('SELECT name, status FROM sites ORDER BY id').all(),
      lock: db.prepare('SELECT COUNT(*) FROM lock').pluck().get(),
    }));
    expect(rows).toEqual({
      sweeps: [{ checked: 1, aborted: 1 }],
      results: [`${a.url}/`],
      states: [{ name: 'A', status: 'up' }],
      lock: 0,
    });
    expect(log.text).toMatch(/"msg":"sweep","sweep":\{[^}]*"aborted":true/);
  });

  it('--once runs one cycle and returns, whatever the sites state', async () => {
    a.set(500);
    await runDaemon(options({ once: true }));
    const events = readDb((db) => db.prepare('SELECT type FROM events').pluck().all());
    expect(events).toEqual(['down']);
    await runDaemon(options({ once: true }));
    expect(readDb((db) => db.prepare('SELECT COUNT(*) FROM sweeps').pluck().get())).toBe(2);
    expect(readDb((db) => db.prepare('SELECT type FROM events').pluck().all())).toEqual(['down']);
  });

  it('refuses to start while another live daemon holds the lock', async () => {
    const db = openDatabase(dbFile);
    // The parent (vitest) is surely alive, and is not this process.
    acquireLock(db, dbFile, { pid: process.ppid });
    db.close();
    await expect(runDaemon(options({ once: true }))).rejects.toMatchObject({
      code: 'US_ERR_DB_LOCKED',
      message: expect.stringContaining(`pid ${process.ppid}`),
    });
    expect(readDb((d) => d.prepare('SELECT COUNT(*) FROM sweeps').pluck().get())).toBe(0);
  });

  it('stops with the database error when a commit fails, and releases the lock', async () => {
    let sweepNo = 0;
    const run = runDaemon(
      options({
        scheduler: loopScheduler(5),
        onEvents: () => {
          if (++sweepNo !== 1) return;
          const db = new Database(dbFile);
          db.exec(
            "CREATE TRIGGER no_more BEFORE INSERT ON sweeps BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
          );
          db.close();
        },
      }),
    );
    await expect(run).rejects.toMatchObject({
      code: 'US_ERR_DB_IO',
      message: expect.stringContaining('disk trouble'),
    });
    expect(sweepNo).toBe(1);
    expect(readDb((db) => db.prepare('SELECT COUNT(*) FROM lock').pluck().get())).toBe(0);
    expect(log.text).toMatch(/stopping: Cannot use the database/);
  });

  it('logs a failing hook and goes on', async () => {
    let calls = 0;
    await runDaemon(
      options({
        scheduler: loopScheduler(2),
        onEvents: () => {
          calls++;
          throw Object.assign(new Error('outbox full'), { code: 'US_ERR_TEST' });
        },
      }),
    );
    expect(calls).toBe(2);
    const errors = log.lines().filter((l) => l.includes('the events hook failed: outbox full'));
    expect(errors).toHaveLength(2);
    expect(JSON.parse(errors[0] as string)).toMatchObject({ level: 'error', code: 'US_ERR_TEST' });
  });

  it('logs a sweep the mode failed to run and tries again at the next tick; --once fails with it', async () => {
    let runs = 0;
    const flaky: Strategy = {
      description: 'fails on its second sweep',
      run: async (sites, ctx) => {
        runs++;
        if (runs === 2) throw Object.assign(new Error('worker pool crashed'), { code: 'US_ERR_POOL' });
        return STRATEGIES.async.run(sites, ctx);
      },
    };
    await runDaemon(options({ scheduler: loopScheduler(3), strategy: flaky }));
    expect(runs).toBe(3);
    expect(readDb((db) => db.prepare('SELECT COUNT(*) FROM sweeps').pluck().get())).toBe(2);
    const failed = log.lines().find((l) => l.includes('sweep failed')) as string;
    expect(JSON.parse(failed)).toMatchObject({
      level: 'error',
      code: 'US_ERR_POOL',
      msg: 'sweep failed, nothing recorded; trying again at the next tick: worker pool crashed',
    });

    runs = 1;
    await expect(runDaemon(options({ once: true, strategy: flaky }))).rejects.toThrow('worker pool crashed');
  });

  it('listens for SIGHUP before anything else, so an early one never kills the process', async () => {
    const signals = new EventEmitter();
    const run = runDaemon(options({ signals, once: true }));
    expect(signals.listenerCount('SIGHUP')).toBe(1);
    signals.emit('SIGHUP');
    await run;
    expect(signals.listenerCount('SIGHUP')).toBe(0);
  });

  it('refuses a config error before touching the database', async () => {
    await writeFile(configFile, '[]');
    await expect(runDaemon(options({ once: true }))).rejects.toMatchObject({ code: 'US_ERR_CONFIG' });
    await expect(import('node:fs/promises').then((fs) => fs.access(dbFile))).rejects.toThrow();
  });
});
