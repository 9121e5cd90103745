/**
 * Schema 3 (offline results kept apart, offline checks in rollups, offline periods) over a database
 * written by schema 2: it opens, keeps its history, and knows the offline stretches its events recorded.
 */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { History } from '../../src/store/history.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open.js';
import { WatchStore } from '../../src/store/store.js';
import { buildUptime } from '../../src/store/uptime-report.js';
import { tempDir } from '../helpers/processes.js';
import { makeSites, sweep } from './fixtures.js';

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'v2.db');
});
afterEach(async () => {
  await dir.cleanup();
});

/** What version 2 wrote: sweeps, results, a rollup, and two offline stretches (one over, one going on). */
function writeVersion2(): void {
  const db = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
  expect(db.pragma('user_version', { simple: true })).toBe(2);
  db.exec(`
    INSERT INTO sites (id, key, url, name, first_seen, last_seen, status, since)
      VALUES (1, 'k1', 'https://a.example/', 'A', ${T0}, ${T0 + 40 * MIN}, 'up', ${T0});
    INSERT INTO sweeps (id, started_at, finished_at, sites, checked, up, down, outcome) VALUES
      (1, ${T0}, ${T0 + 100}, 1, 1, 1, 0, 'ok'),
      (2, ${T0 + 10 * MIN}, ${T0 + 10 * MIN + 100}, 1, 1, 0, 1, 'monitor-offline'),
      (3, ${T0 + 20 * MIN}, ${T0 + 20 * MIN + 100}, 1, 1, 0, 1, 'monitor-offline'),
      (4, ${T0 + 30 * MIN}, ${T0 + 30 * MIN + 100}, 1, 1, 1, 0, 'ok'),
      (5, ${T0 + 40 * MIN}, ${T0 + 40 * MIN + 100}, 1, 1, 0, 1, 'monitor-offline');
    INSERT INTO results (sweep_id, site_id, at, ok, status, kind, total_ms) VALUES
      (1, 1, ${T0}, 1, 200, NULL, 40), (4, 1, ${T0 + 30 * MIN}, 1, 200, NULL, 60);
    INSERT INTO rollups (hour, site_id, checks, failures, ok_ms_sum, histogram)
      VALUES (${T0 / 3_600_000 - 1}, 1, 12, 0, 600, x'');
    INSERT INTO meta (key, value) VALUES ('monitor_offline_since', '${T0 + 40 * MIN + 100}');
  `);
  const event = (id: number, sweepId: number, at: number, data: object) =>
    db
      .prepare('INSERT INTO events (id, sweep_id, at, type, data) VALUES (?, ?, ?, ?, ?)')
      .run(
        id,
        sweepId,
        at,
        (data as { type: string }).type,
        JSON.stringify({ sweepId, at: iso(at), ...data }),
      );
  const none = { site: null, incidentId: null, cause: null };
  event(1, 2, T0 + 10 * MIN + 100, {
    type: 'monitor-offline',
    ...none,
    downSince: null,
    downForMs: null,
    failed: 5,
    checked: 5,
  });
  event(2, 4, T0 + 30 * MIN + 100, {
    type: 'monitor-online',
    ...none,
    downSince: iso(T0 + 10 * MIN + 100),
    downForMs: 20 * MIN,
    failed: null,
    checked: null,
  });
  event(3, 5, T0 + 40 * MIN + 100, {
    type: 'monitor-offline',
    ...none,
    downSince: null,
    downForMs: null,
    failed: 4,
    checked: 5,
  });
  db.close();
}

describe('migrating a schema 2 database', () => {
  it('keeps its history and finds its offline stretches in its events', () => {
    writeVersion2();
    const store = WatchStore.open(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
      expect(store.db.prepare('SELECT checks, offline FROM rollups').all()).toEqual([
        { checks: 12, offline: 0 },
      ]);
      expect(store.db.prepare('SELECT COUNT(*) FROM results').pluck().get()).toBe(2);
      expect(
        store.db
          .prepare(
            'SELECT started_at, ended_at, sweeps, failed, checked, kinds FROM offline_periods ORDER BY id',
          )
          .all(),
      ).toEqual([
        {
          started_at: T0 + 10 * MIN + 100,
          ended_at: T0 + 30 * MIN + 100,
          sweeps: 2,
          failed: 5,
          checked: 5,
          kinds: null,
        },
        { started_at: T0 + 40 * MIN + 100, ended_at: null, sweeps: 1, failed: 4, checked: 5, kinds: null },
      ]);
      expect(store.events().map((e) => e.type)).toEqual([
        'monitor-offline',
        'monitor-online',
        'monitor-offline',
      ]);
    } finally {
      store.close();
    }
  });

  it('carries on the stretch going on: the next sweeps extend it, then end it', () => {
    writeVersion2();
    const store = WatchStore.open(file);
    const sites = makeSites(5);
    try {
      sweep(store, sites, ['refused', 'refused', 'refused', 'refused', 'refused'], T0 + 50 * MIN);
      const back = sweep(store, sites, [true, true, true, true, true], T0 + 60 * MIN);
      expect(back.events.map((e) => e.type)).toEqual(['monitor-online']);
      expect(store.db.prepare('SELECT sweeps, ended_at FROM offline_periods WHERE id = 2').get()).toEqual({
        sweeps: 2,
        ended_at: T0 + 60 * MIN + 15,
      });
    } finally {
      store.close();
    }
  });

  it('reports the old stretches, saying less about them than about new ones', () => {
    writeVersion2();
    WatchStore.open(file).close();
    const history = History.open(file);
    try {
      const { report } = buildUptime(history, T0, T0 + 60 * MIN);
      expect(report.sites[0]).toMatchObject({ checks: 2, offlineChecks: 0, uptimePct: 100 });
      expect(report.offline).toEqual([
        {
          start: iso(T0 + 10 * MIN + 100),
          end: iso(T0 + 30 * MIN + 100),
          durationMs: 20 * MIN,
          sweeps: 2,
          cause: '5 of 5 checks got no response',
        },
        {
          start: iso(T0 + 40 * MIN + 100),
          end: null,
          durationMs: 20 * MIN - 100,
          sweeps: 1,
          cause: '4 of 5 checks got no response',
        },
      ]);
    } finally {
      history.close();
    }
  });

  it('takes a stretch whose offline event retention deleted from meta or from its online event', () => {
    writeVersion2();
    const db = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
    db.exec("DELETE FROM events WHERE type = 'monitor-offline'");
    db.close();
    const store = WatchStore.open(file);
    try {
      expect(
        store.db.prepare('SELECT started_at, ended_at, failed FROM offline_periods ORDER BY id').all(),
      ).toEqual([
        { started_at: T0 + 10 * MIN + 100, ended_at: T0 + 30 * MIN + 100, failed: null },
        { started_at: T0 + 40 * MIN + 100, ended_at: null, failed: null },
      ]);
    } finally {
      store.close();
    }
  });
});
