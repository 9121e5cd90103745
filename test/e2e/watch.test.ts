/**
 * The real daemon binary (build first: npx tsc -p tsconfig.build.json) against local sites that change
 * behaviour over time, on a 6-field cron schedule (every second).
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { queryDb } from '../watch/helpers/query.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let a: SwitchServer;
let b: SwitchServer;
let config: string;
let db: string;

const SWEEP = /"msg":"sweep"/;
const EVERY_SECOND = '* * * * * *';

beforeEach(async () => {
  dir = await tempDir();
  a = await startSwitchServer(200);
  b = await startSwitchServer(200);
  config = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0, timeoutMs: 20_000 },
    sites: [
      { url: `${a.url}/`, name: 'A' },
      { url: `${b.url}/`, name: 'B' },
    ],
  });
  db = join(dir.path, 'watch.db');
});
afterEach(async () => {
  await killAll();
  await a.close();
  await b.close();
  await dir.cleanup();
});

function watch(...extra: string[]) {
  return spawnWatch([config, '--db', db, '--schedule', EVERY_SECOND, '--log-format', 'json', ...extra]);
}

const query = <T>(sql: string): T[] => queryDb<T>(db, sql);

/** Makes A hang, waits for the daemon's next request to it (a sweep is in flight), then SIGKILLs it. */
async function killMidSweep(daemon: ReturnType<typeof watch>): Promise<void> {
  a.set('hang');
  await a.nextRequest();
  daemon.signal('SIGKILL');
  expect((await daemon.exited).signal).toBe('SIGKILL');
}

describe('watch, the daemon binary', () => {
  it('killed with SIGKILL mid-sweep and restarted, never raises the same down event twice', async () => {
    a.set(503);
    const first = watch();
    await first.stderr.waitFor(/"type":"down"/);
    await killMidSweep(first);
    // The lock of the killed daemon is still in the file; the restart takes it over.
    expect(query('SELECT pid FROM lock')).toEqual([{ pid: first.pid }]);

    a.set(503);
    const second = watch();
    await waitForCount(second, SWEEP, 2);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);

    expect(second.stderr.text).not.toMatch(/"msg":"event"/);
    expect(query('SELECT type, site_id FROM events')).toEqual([{ type: 'down', site_id: 1 }]);
    expect(query('SELECT site_id, ended_at FROM incidents')).toEqual([{ site_id: 1, ended_at: null }]);
    expect(query('SELECT name, status FROM sites ORDER BY id')).toEqual([
      { name: 'A', status: 'down' },
      { name: 'B', status: 'up' },
    ]);
    expect(query('SELECT COUNT(*) AS n FROM lock')).toEqual([{ n: 0 }]);
  });

  it('raises the recovery that happened while it was killed, once, after the restart', async () => {
    a.set(503);
    const first = watch();
    await first.stderr.waitFor(/"type":"down"/);
    await killMidSweep(first);

    a.set(200);
    const second = watch();
    const line = await second.stderr.waitFor(/"type":"up"/);
    await waitForCount(second, SWEEP, 2);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const up = (
      JSON.parse(line) as { event: { site: { name: string }; downForMs: number; incidentId: number } }
    ).event;
    expect(up).toMatchObject({ site: { name: 'A' }, incidentId: 1 });
    expect(up.downForMs).toBeGreaterThan(0);
    expect(query('SELECT type FROM events ORDER BY id')).toEqual([{ type: 'down' }, { type: 'up' }]);
    expect(query<{ ended_at: number | null }>('SELECT ended_at FROM incidents')[0]?.ended_at).not.toBeNull();
  });

  it('on SIGTERM mid-sweep exits 0 promptly and records nothing for the aborted check', async () => {
    a.set('hang');
    // Both checks of the first sweep have started: A hangs, B has been answered.
    const checking = Promise.all([a.nextRequest(), b.nextRequest()]);
    const daemon = watch();
    const first = await Promise.race([checking.then(() => 'checking'), daemon.exited.then(() => 'exited')]);
    expect(first, daemon.stderr.text).toBe('checking');
    const sent = Date.now();
    daemon.signal('SIGTERM');
    const { code } = await daemon.exited;
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(query('SELECT aborted FROM sweeps')).toEqual([{ aborted: 1 }]);
    // B answered (and is recorded, unless the machine was too slow to read it in time); A never is.
    const recorded = query<{ name: string; ok: number }>(
      'SELECT s.name, r.ok FROM results r JOIN sites s ON s.id = r.site_id',
    );
    expect(recorded.filter((r) => r.name !== 'B')).toEqual([]);
    expect(query("SELECT COUNT(*) AS n FROM sites WHERE name = 'A'")).toEqual([{ n: 0 }]);
    expect(query('SELECT COUNT(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(daemon.stderr.text).toMatch(/"msg":"stopped after 1 sweep"/);
  });

  it('never overlaps sweeps: ticks that come while a slow sweep runs are skipped and logged', async () => {
    a.set({ status: 200, delayMs: 1500 });
    const daemon = watch();
    await waitForCount(daemon, SWEEP, 2, 8000);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    const logs = daemon.logs();
    const skipped = logs.filter((l) => l.msg === 'tick skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    const sweeps = logs
      .filter((l) => l.msg === 'sweep')
      .map((l) => l.sweep as { startedAt: string; finishedAt: string; skippedTicks: number });
    expect(sweeps[0]?.skippedTicks).toBeGreaterThanOrEqual(1);
    // Each sweep started after the previous one finished.
    for (let i = 1; i < sweeps.length; i++) {
      expect(Date.parse(sweeps[i]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(sweeps[i - 1]?.finishedAt ?? ''),
      );
    }
  });

  it('a second daemon on the same database refuses to start, with a clear message (exit 4)', async () => {
    const first = watch();
    await waitForCount(first, SWEEP, 1);
    for (const extra of [[], ['--once']]) {
      const second = await runBin(['watch', config, '--db', db, ...extra], { timeoutMs: 8000 });
      expect(second.code).toBe(4);
      expect(second.stderr).toContain(
        `error: Another uptime-squirrel watch is using ${db} (pid ${first.pid} on `,
      );
      expect(second.stderr).toContain('Stop it first, or pass another --db file.');
    }
    expect(first.child.exitCode).toBeNull();
    first.signal('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });

  it('on SIGHUP with a broken config reports it and keeps running with the old one; a good one applies', async () => {
    const daemon = watch();
    await waitForCount(daemon, SWEEP, 1);
    await writeFile(config, '{ "sites": [ "http://x.example/" ');
    daemon.signal('SIGHUP');
    await daemon.stderr.waitFor(/config reload failed, still watching the previous 2 sites/);
    const before = daemon.stderr.lines().filter((l) => SWEEP.test(l)).length;
    await waitForCount(daemon, SWEEP, before + 1);
    expect(daemon.child.exitCode).toBeNull();

    await writeJson(dir.path, 'sites.json', [`${a.url}/`, `${b.url}/`, `${b.url}/other`]);
    daemon.signal('SIGHUP');
    await daemon.stderr.waitFor(/config reloaded from .*: 3 sites/);
    await daemon.stderr.waitFor(/"sites":3,"checked":3/);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });
});
