/**
 * The real daemon binary (build first) scheduling per site: a site on its own "interval" beside one on
 * --schedule, each checked at its own pace with thresholds that count its own checks; and sweeps that
 * start the site that timed out last time first.
 */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { waitFor } from '../helpers/proc-table.js';
import { tempDir, writeJson } from '../helpers/processes.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { queryDb } from '../watch/helpers/query.js';

let dir: { path: string; cleanup: () => Promise<void> };
const servers: TestHttpServer[] = [];

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await killAll();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await dir.cleanup();
});

/** A site answering `status` (after `delayMs`), or never ('hang'), each request's arrival noted in `log`. */
async function site(
  name: string,
  answer: number | 'hang',
  log: string[] = [],
  delayMs = 0,
): Promise<TestHttpServer> {
  const server = await startHttpServer((_req, res) => {
    log.push(name);
    if (answer === 'hang') return;
    const timer = setTimeout(() => res.writeHead(answer).end(), delayMs);
    res.once('close', () => clearTimeout(timer));
  });
  servers.push(server);
  return server;
}

describe('watch with per-site intervals, the daemon binary', () => {
  it('checks a site on its own 10 s interval beside one every second, counting its own checks for its thresholds, with at most one heartbeat a minute', async () => {
    const fast = await site('fast', 200);
    const slow = await site('slow', 503);
    const beat = await site('heartbeat', 200);
    const started = Date.now();
    const config = await writeJson(dir.path, 'sites.json', {
      heartbeat: { url: `${beat.url}/ping` },
      defaults: { retries: 0, timeoutMs: '5s' },
      sites: [
        { url: `${fast.url}/`, name: 'every second' },
        { url: `${slow.url}/`, name: 'every 10 s', interval: '10s', failureThreshold: 2 },
      ],
    });
    const db = join(dir.path, 'watch.db');
    const daemon = spawnWatch([config, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json']);
    const downs = () =>
      queryDb<{ n: number }>(db, "SELECT count(*) AS n FROM events WHERE type = 'down'")[0]?.n ?? 0;

    // The 10 s site's first slot comes within 10 s of the start; its second 10 s later.
    expect(await waitFor(() => slow.requests.length >= 1, 20_000)).toBe(true);
    const fastAtFirst = fast.requests.length;
    // One failed check of the 10 s site is under its threshold of 2: no down, however many sweeps pass.
    expect(await waitFor(() => fast.requests.length >= fastAtFirst + 3, 10_000)).toBe(true);
    expect(slow.requests.length).toBe(1);
    expect(downs()).toBe(0);

    expect(await waitFor(() => slow.requests.length >= 2, 20_000)).toBe(true);
    // The site checked every second went far more often than the one every 10 s.
    expect(fast.requests.length).toBeGreaterThanOrEqual(3 * slow.requests.length);
    // Its second failed check (its own, not the other site's sweeps) makes it down.
    expect(await waitFor(() => downs() === 1, 10_000)).toBe(true);
    const [row] = queryDb<{ name: string; checks: number }>(
      db,
      "SELECT s.name AS name, (SELECT count(*) FROM results r WHERE r.site_id = s.id) AS checks FROM events e JOIN sites s ON s.id = e.site_id WHERE e.type = 'down'",
    );
    expect(row).toEqual({ name: 'every 10 s', checks: 2 });
    expect(daemon.stderr.text).not.toContain('"level":"error"');
    // A batch commits every second; the dead man's switch hears from them at most once a minute.
    expect(beat.requests.length).toBeGreaterThanOrEqual(1);
    expect(beat.requests.length).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / 60_000));

    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('switches to per-site pacing when a reload gives a site its first interval', async () => {
    const fast = await site('fast', 200);
    const other = await site('other', 200);
    const sites = [`${fast.url}/`, `${other.url}/`];
    const config = await writeJson(dir.path, 'sites.json', { defaults: { retries: 0 }, sites });
    const db = join(dir.path, 'watch.db');
    const daemon = spawnWatch([config, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json']);
    // On the schedule: every second.
    expect(await waitFor(() => fast.requests.length >= 3, 10_000)).toBe(true);
    await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0 },
      sites: [{ url: sites[0], interval: '1h' }, sites[1]],
    });
    daemon.signal('SIGHUP');
    await daemon.stderr.waitFor(/config reloaded/);
    // The other site goes on every second; the one on an hourly interval waits for its slot (at most one
    // check, should its slot come within these seconds or a sweep have been in flight).
    const before = fast.requests.length;
    const otherBefore = other.requests.length;
    expect(await waitFor(() => other.requests.length >= otherBefore + 4, 15_000)).toBe(true);
    expect(fast.requests.length - before).toBeLessThanOrEqual(2);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('starts the site that timed out last time first, then the slowest, and records results by site', async () => {
    const log: string[] = [];
    const a = await site('a', 200, log);
    const hangs = await site('hangs', 'hang', log);
    const c = await site('c', 200, log, 300);
    const config = await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0, timeoutMs: '1s' },
      sites: [`${a.url}/`, `${hangs.url}/`, `${c.url}/`],
    });
    const db = join(dir.path, 'watch.db');
    const daemon = spawnWatch([
      config,
      '--db',
      db,
      '--schedule',
      '* * * * * *',
      '--concurrency',
      '1',
      '--log-format',
      'json',
    ]);
    await waitForCount(daemon, /"msg":"sweep"/, 2, 20_000);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    // One at a time: the first sweep in config order (nothing known yet); the second starts the site
    // that timed out, then the slower (300 ms) of the two others.
    expect(log.slice(0, 6)).toEqual(['a', 'hangs', 'c', 'hangs', 'c', 'a']);
    const second = queryDb<{ url: string; ok: number; kind: string | null }>(
      db,
      'SELECT s.url AS url, r.ok AS ok, r.kind AS kind FROM results r JOIN sites s ON s.id = r.site_id WHERE r.sweep_id = 2 ORDER BY s.id',
    );
    expect(second).toEqual([
      { url: `${a.url}/`, ok: 1, kind: null },
      { url: `${hangs.url}/`, ok: 0, kind: 'timeout' },
      { url: `${c.url}/`, ok: 1, kind: null },
    ]);
  });
});
