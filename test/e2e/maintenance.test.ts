/**
 * Maintenance windows and silences, end to end: the built bin's `watch` with a real SMTP receiver and a
 * real HTTP site, windows a few seconds long computed at test time, `silence add` run while the daemon
 * runs, and SIGKILL + restart in the middle of a window or a silence (build first).
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let site: SwitchServer;
let mail: TestSmtpServer;
let db: string;

const SWEEP = /"msg":"sweep"/;
const FAST = ['--retry-first', '100ms', '--retry-max', '200ms', '--send-timeout', '2s'];
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  dir = await tempDir();
  site = await startSwitchServer(200);
  mail = await startSmtpServer();
  db = join(dir.path, 'watch.db');
});

afterEach(async () => {
  await killAll();
  await Promise.all([site.close(), mail.close()]);
  await dir.cleanup();
});

async function config(extra: object = {}): Promise<string> {
  return writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0, timeoutMs: 5000 },
    sites: [{ url: `${site.url}/`, name: 'Shop' }],
    channels: {
      mail: { type: 'email', smtp: mail.url(null), from: 'monitor@example.com', to: ['ops@example.com'] },
    },
    ...extra,
  });
}

function watch(file: string) {
  return spawnWatch([file, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json', ...FAST]);
}

function query<T>(text: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true, timeout: 5000 });
  try {
    return conn.prepare(text).all(...params) as T[];
  } finally {
    conn.close();
  }
}

const count = (text: string, ...params: unknown[]) =>
  (query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${text}`, ...params)[0] as { n: number }).n;

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = check();
    } catch {
      // The database may not exist yet, or not be migrated yet.
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sweeps that started after `after` (ms), as the database has them. */
const sweepsAfter = (after: number) => count('sweeps WHERE started_at > ?', after);

/**
 * A second daemon's first mail is the one `down`, not before `notBefore`; three sweeps later it is still
 * the only mail, and the daemon stops cleanly on SIGTERM. Returns that mail.
 */
async function onlyDownFrom(file: string, notBefore: number, what: string) {
  const second = watch(file);
  await until(() => mail.messages.length >= 1, what);
  expect(Date.now()).toBeGreaterThanOrEqual(notBefore);
  const after = Date.now();
  await until(() => sweepsAfter(after) >= 3, 'three more sweeps');
  second.signal('SIGTERM');
  expect((await second.exited).code).toBe(0);
  expect(mail.messages).toHaveLength(1);
  expect(mail.messages[0]?.subject).toBe('[uptime-squirrel] 1 down: Shop');
  return mail.messages[0];
}

describe('maintenance windows', () => {
  it('a site that fails only inside a window sends nothing; its results are kept, marked maintenance', async () => {
    const start = Date.now() + 2000;
    const end = start + 6000;
    const file = await config({ maintenance: [{ name: 'deploy', start: iso(start), end: iso(end) }] });
    const daemon = watch(file);
    await until(() => count('results WHERE maintenance = 1') >= 1, 'a check inside the window');
    site.set(500);
    await until(() => count('results WHERE maintenance = 1 AND ok = 0') >= 2, 'two failures inside it');
    site.set(200);
    const upAt = Date.now();
    await until(() => count('results WHERE maintenance = 1 AND ok = 1 AND at > ?', upAt) >= 1, 'up again');
    await until(() => Date.now() > end, 'the end of the window');
    await until(() => count('results WHERE maintenance = 0 AND at > ?', end) >= 2, 'two checks after it');
    await waitForCount(daemon, SWEEP, 1);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    expect(count('events WHERE site_id IS NOT NULL')).toBe(0);
    expect(count('incidents')).toBe(0);
    expect(mail.messages).toEqual([]);
  });

  it('one that fails across the end of the window sends exactly one down after it, a SIGKILL inside changing nothing', async () => {
    const start = Date.now() + 2000;
    const end = start + 5000;
    const file = await config({ maintenance: [{ name: 'deploy', start: iso(start), end: iso(end) }] });
    const first = watch(file);
    await until(() => count('results WHERE maintenance = 1') >= 1, 'a check inside the window');
    site.set(500);
    await until(() => count('results WHERE maintenance = 1 AND ok = 0') >= 2, 'two failures inside it');
    first.signal('SIGKILL');
    await first.exited;
    const down = await onlyDownFrom(file, end, 'the down after the window');
    expect(down?.text).toContain('started during maintenance "deploy"');
    const downs = query<{ data: string }>("SELECT data FROM events WHERE type = 'down'");
    expect(downs).toHaveLength(1);
    expect(JSON.parse(downs[0]?.data ?? '{}')).toMatchObject({ downSince: iso(end), maintenance: 'deploy' });
    expect(query('SELECT started_at FROM incidents')).toEqual([{ started_at: end }]);
  });
});

describe('the command line', () => {
  it('validate lists the windows with their next occurrence; watch --tz refuses an unknown zone', async () => {
    const file = await config({
      timezone: 'Europe/Berlin',
      maintenance: [{ name: 'nightly deploy', sites: ['Shop'], every: '0 2 * * *', duration: '30m' }],
    });
    const run = await runBin(['validate', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('time zone: Europe/Berlin');
    expect(run.stdout).toMatch(
      /maintenance "nightly deploy" \(Shop\): every "0 2 \* \* \*" for 30m \(Europe\/Berlin\); (next|on now)/,
    );
    const bad = await runBin(['watch', file, '--tz', 'Mars/Olympus', '--once', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tz: expected an IANA time zone');
  });
});

describe('silences', () => {
  it('added while the daemon runs, it holds the next alert; ending with the site down it sends one down, a SIGKILL inside changing nothing', async () => {
    const file = await config();
    const first = watch(file);
    await until(() => count('results WHERE ok = 1') >= 1, 'a first check');
    const untilAt = Date.now() + 6000;
    const added = await runBin([
      'silence',
      'add',
      'Shop',
      '--until',
      iso(untilAt),
      '--reason',
      'vendor',
      '--db',
      db,
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^silence 1\tShop\tuntil .*\tvendor\n$/);
    const listed = await runBin(['silence', 'list', '--json', '--db', db]);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: 1, sites: ['Shop'], reason: 'vendor' }),
    ]);

    site.set(500);
    // The down is recorded (an incident opened) at the next sweep, and marked silenced: sent nowhere.
    await until(() => count("events WHERE type = 'down'") >= 1, 'the silenced down');
    expect(
      JSON.parse(query<{ data: string }>("SELECT data FROM events WHERE type = 'down'")[0]?.data ?? ''),
    ).toHaveProperty('silenced');
    expect(count('incidents')).toBe(1);
    const recorded = Date.now();
    await until(() => sweepsAfter(recorded) >= 2, 'two more sweeps');
    first.signal('SIGKILL');
    await first.exited;
    expect(mail.messages).toEqual([]);
    const logged = first.logs().filter((l) => l.msg === 'event') as {
      event: { type: string; silenced?: string };
    }[];
    expect(logged.map((l) => [l.event.type, typeof l.event.silenced])).toEqual([['down', 'string']]);

    const down = await onlyDownFrom(file, untilAt, 'the down once the silence ended');
    expect(down?.text).toMatch(/silenced since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // One outage, one incident: the late down belongs to the one opened when it was recorded.
    expect(count('incidents')).toBe(1);
    expect(count('silences WHERE ends_at <= ?', Date.now())).toBe(1);
    expect((await runBin(['silence', 'list', '--db', db])).stdout).toBe('no silences\n');
  });

  it('silence add refuses a database that does not exist, a site it does not know, and rm an id that is not going on', async () => {
    const missing = await runBin(['silence', 'list', '--db', db]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(`No database at ${db}`);
    const file = await config();
    const run = await runBin(['watch', file, '--db', db, '--once', ...FAST], { timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    const bad = await runBin(['silence', 'add', 'Shp', '--for', '1h', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no site "Shp"');
    const rm = await runBin(['silence', 'rm', '7', '--db', db]);
    expect(rm.code).toBe(2);
    const ok = await runBin(['silence', 'add', '--all', '--for', '1h', '--db', db]);
    expect(ok.stdout).toMatch(/^silence 1\tevery site\tuntil /);
    expect((await runBin(['silence', 'rm', '1', '--db', db])).stdout).toBe('silence 1 removed\n');
  });
});
