import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { History } from '../../src/store/history.js';
import { HOUR_MS } from '../../src/store/retention.js';
import { WatchStore } from '../../src/store/store.js';
import { buildUptime } from '../../src/store/uptime-report.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, makeSites, sweep } from './fixtures.js';

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;
let store: WatchStore;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const DAY = 24 * HOUR_MS;

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'retention.db');
  store = WatchStore.open(file);
});
afterEach(async () => {
  store.close();
  await dir.cleanup();
});

const count = (sql: string) => store.db.prepare(sql).pluck().get() as number;

/** Sweeps every 5 minutes over `hours`; site 1 fails in the second hour; times grow with the site index. */
function fiveMinutely(hours: number, sites = makeSites(3)) {
  for (let t = 0; t < hours * HOUR_MS; t += 5 * MIN) {
    const failing = t >= HOUR_MS && t < 2 * HOUR_MS;
    sweep(
      store,
      sites,
      sites.map((_s, i) => !(i === 1 && failing)),
      T0 + t,
      { ms: (i) => 100 * (i + 1) },
    );
  }
  return sites;
}

describe('rollup of old raw results', () => {
  it('turns whole hours older than keepRaw into one row per site per hour, and deletes their raw rows', () => {
    fiveMinutely(4);
    expect(count('SELECT COUNT(*) FROM results')).toBe(4 * 12 * 3);
    const report = store.retain(T0 + 5 * HOUR_MS, {
      retentionMs: 90 * DAY,
      keepRawMs: 2 * HOUR_MS + 30 * MIN,
    });
    // now - keepRaw = T0 + 2h30: hours 0 and 1 are whole and older; hour 2 is not yet.
    expect(report).toMatchObject({ hoursRolledUp: 2, resultsRolledUp: 2 * 12 * 3 });
    expect(count('SELECT COUNT(*) FROM results')).toBe(2 * 12 * 3);
    expect(count('SELECT COUNT(*) FROM sweeps WHERE raw = 0')).toBe(24);
    expect(
      store.db
        .prepare('SELECT hour, site_id, checks, failures, ok_ms_sum FROM rollups ORDER BY hour, site_id')
        .all(),
    ).toEqual([
      { hour: T0 / HOUR_MS, site_id: 1, checks: 12, failures: 0, ok_ms_sum: 1200 },
      { hour: T0 / HOUR_MS, site_id: 2, checks: 12, failures: 0, ok_ms_sum: 2400 },
      { hour: T0 / HOUR_MS, site_id: 3, checks: 12, failures: 0, ok_ms_sum: 3600 },
      { hour: T0 / HOUR_MS + 1, site_id: 1, checks: 12, failures: 0, ok_ms_sum: 1200 },
      { hour: T0 / HOUR_MS + 1, site_id: 2, checks: 12, failures: 12, ok_ms_sum: 0 },
      { hour: T0 / HOUR_MS + 1, site_id: 3, checks: 12, failures: 0, ok_ms_sum: 3600 },
    ]);
    // Nothing left to do until another hour ages.
    expect(
      store.retain(T0 + 5 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: 2 * HOUR_MS + 30 * MIN })
        .hoursRolledUp,
    ).toBe(0);
  });

  it('leaves the report the same: uptime, checks and incidents from rollups plus raw rows', () => {
    fiveMinutely(4);
    const now = T0 + 4 * HOUR_MS;
    const before = reportAt(now);
    store.retain(now + HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    expect(count('SELECT COUNT(*) FROM rollups')).toBeGreaterThan(0);
    const after = reportAt(now);
    expect(after.sites.map((s) => [s.checks, s.uptimePct, s.incidents.length])).toEqual(
      before.sites.map((s) => [s.checks, s.uptimePct, s.incidents.length]),
    );
    expect(after.sites.map((s) => [s.checks, s.uptimePct])).toEqual([
      [48, 100],
      [48, 75],
      [48, 100],
    ]);
    // Exact before the rollup, from the histogram after: within 5%.
    expect(before.sites.map((s) => s.p50Ms)).toEqual([100, 200, 300]);
    after.sites.forEach((s, i) => {
      expect(Math.abs((s.p50Ms as number) - (i + 1) * 100)).toBeLessThanOrEqual((i + 1) * 5);
    });
  });

  it('rolls up at most maxHours per call, oldest first, and catches up on later calls', () => {
    fiveMinutely(6);
    const opts = { retentionMs: 90 * DAY, keepRawMs: HOUR_MS, maxHours: 2 };
    expect(store.retain(T0 + 7 * HOUR_MS, opts).hoursRolledUp).toBe(2);
    expect(store.retain(T0 + 7 * HOUR_MS, opts).hoursRolledUp).toBe(2);
    expect(store.retain(T0 + 7 * HOUR_MS, opts).hoursRolledUp).toBe(2);
    expect(count('SELECT COUNT(*) FROM results')).toBe(0);
    expect(count('SELECT COUNT(DISTINCT hour) FROM rollups')).toBe(6);
  });

  it('merges a late sweep into an hour already rolled up', () => {
    const sites = [makeSite('https://a.example/')];
    sweep(store, sites, [true], T0);
    store.retain(T0 + 3 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    sweep(store, sites, [false], T0 + 10 * MIN);
    store.retain(T0 + 3 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    expect(store.db.prepare('SELECT checks, failures FROM rollups').all()).toEqual([
      { checks: 2, failures: 1 },
    ]);
  });
});

describe('retention', () => {
  it('deletes rollups, sweeps, events and closed incidents past retention, and keeps open incidents', () => {
    const sites = makeSites(2);
    sweep(store, sites, [false, false], T0); // both go down: two incidents
    sweep(store, sites, [true, false], T0 + HOUR_MS); // the first recovers
    store.retain(T0 + 3 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    const report = store.retain(T0 + 10 * DAY, { retentionMs: 5 * DAY, keepRawMs: HOUR_MS });
    expect(report.deleted).toEqual({ rollups: 4, sweeps: 2, events: 3, incidents: 1, offlinePeriods: 0 });
    expect(store.db.prepare('SELECT site_id, ended_at FROM incidents').all()).toEqual([
      { site_id: 2, ended_at: null },
    ]);
    expect(store.siteStates().size).toBe(2);
  });

  it('rolls offline checks up apart from the counted ones, and deletes closed offline periods past retention', () => {
    const sites = makeSites(5);
    const NONE = ['refused', 'refused', 'refused', 'refused', 'refused'] as const;
    sweep(store, sites, [true, true, true, true, true], T0);
    sweep(store, sites, NONE, T0 + 10 * MIN);
    sweep(store, sites, NONE, T0 + 20 * MIN);
    sweep(store, sites, [true, true, true, true, true], T0 + 30 * MIN);
    store.retain(T0 + 3 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    expect(count('SELECT COUNT(*) FROM offline_results')).toBe(0);
    expect(store.db.prepare('SELECT checks, failures, offline FROM rollups WHERE site_id = 1').all()).toEqual(
      [{ checks: 2, failures: 0, offline: 2 }],
    );
    // A late offline sweep for the same hour merges its offline checks into the row.
    sweep(store, sites, NONE, T0 + 40 * MIN);
    store.retain(T0 + 3 * HOUR_MS, { retentionMs: 90 * DAY, keepRawMs: HOUR_MS });
    expect(store.db.prepare('SELECT checks, offline FROM rollups WHERE site_id = 1').get()).toEqual({
      checks: 2,
      offline: 3,
    });
    // The second stretch is still going on: only the closed one goes with retention.
    const report = store.retain(T0 + 10 * DAY, { retentionMs: 5 * DAY, keepRawMs: HOUR_MS });
    expect(report.deleted.offlinePeriods).toBe(1);
    expect(store.db.prepare('SELECT ended_at FROM offline_periods').all()).toEqual([{ ended_at: null }]);
  });

  it('keeps the file bounded: three more days of sweeps reuse the pages that retention freed', () => {
    // Durability is not the point here: skip the fsync per commit to keep the test fast.
    store.db.pragma('synchronous = OFF');
    const sites = makeSites(20);
    const opts = { retentionMs: DAY, keepRawMs: 6 * HOUR_MS };
    const sizeAfterDays = (from: number, days: number) => {
      for (let t = from; t < from + days * DAY; t += 5 * MIN) {
        sweep(
          store,
          sites,
          sites.map((_s, i) => (t / MIN + i) % 17 !== 0),
          T0 + t,
          { ms: (i) => 50 + i },
        );
        if (t % HOUR_MS === 0) store.retain(T0 + t, opts);
      }
      store.checkpoint();
      return statSync(file).size;
    };
    const steady = sizeAfterDays(0, 2);
    const later = sizeAfterDays(2 * DAY, 3);
    expect(later).toBeLessThanOrEqual(steady * 1.1);
    expect(count('SELECT COUNT(*) FROM results')).toBeLessThanOrEqual(20 * 12 * 7);
  });
});

function reportAt(now: number) {
  const history = History.open(file);
  try {
    return buildUptime(history, now - DAY, now).report;
  } finally {
    history.close();
  }
}
