/** `watch --once` (for system cron) and the database errors, through the real binary. */

import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl } from '../helpers/ports.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { queryDb } from '../watch/helpers/query.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let site: SwitchServer;
let config: string;

beforeEach(async () => {
  dir = await tempDir();
  site = await startSwitchServer(200);
  config = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0 },
    sites: [{ url: `${site.url}/`, name: 'Site' }],
  });
});
afterEach(async () => {
  await killAll();
  await site.close();
  await dir.cleanup();
});

const once = (...args: string[]) => runBin(['watch', '--once', ...args], { cwd: dir.path, timeoutMs: 8000 });
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const query = queryDb;

describe('watch --once', () => {
  it('exits 0 when the cycle completed, down sites included, into ./uptime-squirrel.db by default', async () => {
    site.set(503);
    const run = await once(config);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z sweep #1: 0 up, 1 down \(1 site\) in \d+ ms, 0 ticks skipped$/m,
    );
    expect(run.stderr).toMatch(
      /Z WARN DOWN Site \(http:\/\/127\.0\.0\.1:\d+\/\): HTTP 503, expected 200-399$/m,
    );
    const file = join(dir.path, 'uptime-squirrel.db');
    expect(query(file, 'SELECT type FROM events')).toEqual([{ type: 'down' }]);

    // A second run from cron: no repeated event; a third after recovery: up.
    expect((await once(config)).stderr).not.toMatch(/DOWN/);
    site.set(200);
    const third = await once(config);
    expect(third.stderr).toMatch(/UP Site \(.*\) after [\d.]+ (ms|s|[0-9hms ]+) down/);
    expect(query(file, 'SELECT type FROM events ORDER BY id')).toEqual([{ type: 'down' }, { type: 'up' }]);
  });

  it('exits 2 on a config error, before creating the database', async () => {
    const run = await once(join(dir.path, 'missing.json'), '--db', 'x.db');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Cannot read config file .*missing\.json: no such file/);
    expect(() => readFileSync(join(dir.path, 'x.db'))).toThrow();
  });

  it('exits 2 on a bad schedule, retention or log format', async () => {
    for (const args of [
      ['--schedule', '* * *'],
      ['--retention', 'forever'],
      ['--keep-raw', '30d', '--retention', '7d'],
      ['--log-format', 'xml'],
    ]) {
      const run = await once(config, ...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/error: /);
    }
  });

  it('records a sweep where no site answers as monitor-offline: results kept apart, no state change, one monitor event', async () => {
    const urls = await Promise.all(Array.from({ length: 5 }, () => refusedUrl()));
    const offline = await writeJson(dir.path, 'offline.json', { defaults: { retries: 0 }, sites: urls });
    const run = await once(offline, '--db', 'off.db', '--log-format', 'json');
    expect(run.code).toBe(0);
    const file = join(dir.path, 'off.db');
    expect(query(file, 'SELECT outcome, checked, down FROM sweeps')).toEqual([
      { outcome: 'monitor-offline', checked: 5, down: 5 },
    ]);
    expect(query(file, 'SELECT type, site_id FROM events')).toEqual([
      { type: 'monitor-offline', site_id: null },
    ]);
    expect(query(file, "SELECT COUNT(*) AS n FROM sites WHERE status != 'unknown'")).toEqual([{ n: 0 }]);
    expect(query(file, 'SELECT kind, COUNT(*) AS n FROM offline_results GROUP BY kind')).toEqual([
      { kind: 'refused', n: 5 },
    ]);
    expect(query(file, 'SELECT COUNT(*) AS n FROM results')).toEqual([{ n: 0 }]);
    const events = run.stderr
      .split('\n')
      .filter((l) => l.includes('"msg":"event"'))
      .map((l) => JSON.parse(l).event.type);
    expect(events).toEqual(['monitor-offline']);
  });
});

describe('the database file', () => {
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('and its -wal and -shm are readable by the owner only (0600), even under umask 000', async () => {
    const file = join(dir.path, 'private.db');
    const before = process.umask(0o000);
    let daemon: ReturnType<typeof spawnWatch>;
    try {
      // The child inherits the umask at spawn.
      daemon = spawnWatch([config, '--db', file, '--schedule', '* * * * * *'], { cwd: dir.path });
    } finally {
      process.umask(before);
    }
    await waitForCount(daemon, / sweep #1: /, 1, 8000);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('that others can read keeps its mode, and watch warns about it', async () => {
    const file = join(dir.path, 'shared.db');
    expect((await once(config, '--db', file)).code).toBe(0);
    chmodSync(file, 0o644);
    const run = await once(config, '--db', file);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /Z WARN the database .*shared\.db can be read by other users \(mode 0644\): it holds the monitored URLs, incidents and outgoing messages; `chmod 600 .*shared\.db` keeps it private$/m,
    );
    expect(mode(file)).toBe(0o644);
  });
});

describe('a database that cannot be used', () => {
  it('a file that is not SQLite: exit 4, named, left untouched', async () => {
    const file = join(dir.path, 'notes.txt');
    writeFileSync(file, 'my notes\n'.repeat(50));
    const before = digest(file);
    const run = await once(config, '--db', file);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `error: ${file} is not an uptime-squirrel database: it is not an SQLite database at all. It was left untouched. Pass another --db file (the default is ./uptime-squirrel.db).\n`,
    );
    expect(digest(file)).toBe(before);
  });

  it('a newer version: exit 4, upgrade advised, left untouched', async () => {
    const file = join(dir.path, 'newer.db');
    expect((await once(config, '--db', file)).code).toBe(0);
    const conn = new Database(file);
    conn.pragma('user_version = 99');
    conn.pragma('journal_mode = DELETE');
    conn.close();
    const before = digest(file);
    const run = await once(config, '--db', file);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      `${file} was written by a newer uptime-squirrel (database schema version 99`,
    );
    expect(digest(file)).toBe(before);
  });

  it('a corrupt file: exit 4, what to do', async () => {
    const file = join(dir.path, 'corrupt.db');
    expect((await once(config, '--db', file)).code).toBe(0);
    const conn = new Database(file);
    conn.pragma('journal_mode = DELETE');
    conn.close();
    const bytes = readFileSync(file);
    bytes.fill(0xee, 100, 600);
    writeFileSync(file, bytes);
    const before = digest(file);
    const run = await once(config, '--db', file);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      new RegExp(
        `error: The database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt .*Move it aside`,
      ),
    );
    expect(digest(file)).toBe(before);
  });
});
