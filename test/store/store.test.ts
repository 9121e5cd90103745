import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WatchStore } from '../../src/store/store.js';
import { siteKey } from '../../src/util/site-key.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, makeSites, sweep } from './fixtures.js';

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;
let store: WatchStore;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'store.db');
  store = WatchStore.open(file);
});
afterEach(async () => {
  store.close();
  await dir.cleanup();
});

const count = (table: string) => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();

describe('commitSweep', () => {
  it('stores the sweep, every result, the states, the incident and the event', () => {
    const sites = [makeSite('https://a.example/', { name: 'A' }), makeSite('https://b.example/')];
    const { sweep: s, events } = sweep(store, sites, [true, false], T0);
    expect(s).toMatchObject({ id: 1, sites: 2, checked: 2, up: 1, down: 1, outcome: 'ok', aborted: false });
    expect(
      store.db.prepare('SELECT site_id, ok, status, kind, total_ms FROM results ORDER BY site_id').all(),
    ).toEqual([
      { site_id: 1, ok: 1, status: 200, kind: null, total_ms: 50 },
      { site_id: 2, ok: 0, status: 503, kind: 'http-status', total_ms: 50 },
    ]);
    expect(events).toEqual([
      {
        id: 1,
        sweepId: 1,
        type: 'down',
        at: new Date(T0 + 1).toISOString(),
        site: { key: siteKey('https://b.example/'), url: 'https://b.example/', name: null },
        incidentId: 1,
        cause: { kind: 'http-status', status: 503, message: 'HTTP 503, expected 200-399' },
        downSince: new Date(T0 + 1).toISOString(),
        downForMs: null,
        failed: null,
        checked: null,
      },
    ]);
    expect(store.events()).toEqual(events);
    const states = store.siteStates();
    expect(states.get(siteKey('https://a.example/'))?.status).toBe('up');
    expect(states.get(siteKey('https://b.example/'))).toMatchObject({
      status: 'down',
      since: T0 + 1,
      failures: 1,
    });
    expect(store.db.prepare('SELECT site_id, started_at, ended_at FROM incidents').all()).toEqual([
      { site_id: 2, started_at: T0 + 1, ended_at: null },
    ]);
  });

  it('closes the incident on recovery and raises up with the downtime, on the same incident', () => {
    const sites = [makeSite('https://a.example/')];
    sweep(store, sites, [false], T0);
    sweep(store, sites, [false], T0 + MIN);
    const { events } = sweep(store, sites, [true], T0 + 2 * MIN);
    expect(events).toMatchObject([
      { id: 2, type: 'up', incidentId: 1, downForMs: 2 * MIN, downSince: new Date(T0).toISOString() },
    ]);
    expect(store.db.prepare('SELECT started_at, ended_at FROM incidents').all()).toEqual([
      { started_at: T0, ended_at: T0 + 2 * MIN },
    ]);
    expect(store.db.prepare('SELECT incident_id FROM sites').pluck().get()).toBeNull();
  });

  it('keys a site by its normalised URL: the same site written differently keeps its history', () => {
    sweep(store, [makeSite('HTTPS://A.example:443')], [false], T0);
    const { events } = sweep(store, [makeSite('https://a.example/', { name: 'Renamed' })], [true], T0 + MIN);
    expect(events.map((e) => e.type)).toEqual(['up']);
    expect(store.db.prepare('SELECT url, name FROM sites').all()).toEqual([
      { url: 'https://a.example/', name: 'Renamed' },
    ]);
  });

  it('records a monitor-offline sweep with its results kept apart, no state change and one monitor event', () => {
    const sites = makeSites(5);
    sweep(store, sites, [true, true, true, true, true], T0);
    const offline = sweep(store, sites, ['refused', 'refused', 'refused', 'refused', 'refused'], T0 + MIN);
    expect(offline.sweep.outcome).toBe('monitor-offline');
    expect(offline.events).toMatchObject([
      { type: 'monitor-offline', site: null, failed: 5, checked: 5, kinds: { refused: 5 } },
    ]);
    expect(store.events()).toEqual(offline.events);
    // Kept, but not where anything counts checks and failures.
    expect(count('results')).toBe(5);
    expect(
      store.db.prepare('SELECT site_id, ok, status, kind FROM offline_results ORDER BY site_id').all(),
    ).toEqual([1, 2, 3, 4, 5].map((id) => ({ site_id: id, ok: 0, status: null, kind: 'refused' })));
    expect([...store.siteStates().values()].every((s) => s.status === 'up' && s.failures === 0)).toBe(true);
    expect(store.monitorState()).toEqual({ offlineSince: T0 + MIN + 15 });
    expect(
      sweep(store, sites, ['refused', 'refused', 'refused', 'refused', 'refused'], T0 + 2 * MIN).events,
    ).toEqual([]);
    expect(count('offline_results')).toBe(10);
    const back = sweep(store, sites, [true, true, true, true, false], T0 + 3 * MIN);
    expect(back.events.map((e) => e.type)).toEqual(['down', 'monitor-online']);
    expect(back.events[1]).toMatchObject({ downForMs: 2 * MIN });
    expect(store.monitorState()).toEqual({ offlineSince: null });
    expect(
      store.db
        .prepare('SELECT started_at, ended_at, sweeps, failed, checked, kinds FROM offline_periods')
        .all(),
    ).toEqual([
      {
        started_at: T0 + MIN + 15,
        ended_at: T0 + 3 * MIN + 15,
        sweeps: 2,
        failed: 5,
        checked: 5,
        kinds: '{"refused":5}',
      },
    ]);
  });

  it('alerts every failing site when any site answered, even with an error status (the issue 10 case)', () => {
    const sites = makeSites(5);
    sweep(store, sites, [true, true, true, true, true], T0);
    const { sweep: s, events } = sweep(store, sites, [false, false, false, false, true], T0 + MIN);
    expect(s.outcome).toBe('ok');
    expect(events.map((e) => e.type)).toEqual(['down', 'down', 'down', 'down']);
    expect(count('offline_results')).toBe(0);
    expect(count('offline_periods')).toBe(0);
  });

  it('alerts every site that got no response when the offline rule is off', () => {
    const sites = makeSites(5);
    const refused = ['refused', 'refused', 'refused', 'refused', 'refused'] as const;
    const { sweep: s, events } = sweep(store, sites, refused, T0, { rule: null });
    expect(s.outcome).toBe('ok');
    expect(events.map((e) => e.type)).toEqual(['down', 'down', 'down', 'down', 'down']);
  });

  it('records only the checks an aborted sweep finished', () => {
    const sites = makeSites(3);
    const { sweep: s } = sweep(store, sites, [true, undefined, false], T0, { aborted: true });
    expect(s).toMatchObject({ sites: 3, checked: 2, up: 1, down: 1, aborted: true });
    expect(count('results')).toBe(2);
    expect(count('sites')).toBe(2);
  });

  it('writes all or nothing: a failure in the middle leaves no sweep, result, state or event behind', () => {
    const sites = makeSites(3);
    sweep(store, sites, [true, true, true], T0);
    store.db.exec(
      "CREATE TRIGGER fail_on_third AFTER UPDATE ON sites WHEN NEW.id = 3 BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
    );
    expect(() => sweep(store, sites, [false, false, false], T0 + MIN)).toThrow(
      expect.objectContaining({ code: 'US_ERR_DB_IO', message: expect.stringContaining(file) }),
    );
    expect(count('sweeps')).toBe(1);
    expect(count('results')).toBe(3);
    expect(count('events')).toBe(0);
    expect(count('incidents')).toBe(0);
    expect([...store.siteStates().values()].map((s) => s.status)).toEqual(['up', 'up', 'up']);
  });

  it('never reuses an event id, even when the newest events are deleted', () => {
    const sites = [makeSite('https://a.example/')];
    sweep(store, sites, [false], T0);
    store.db.exec('DELETE FROM events');
    const { events } = sweep(store, sites, [true], T0 + MIN);
    expect(events[0]?.id).toBe(2);
  });

  it('events(afterId) pages through events in order', () => {
    const sites = makeSites(2);
    sweep(store, sites, [false, true], T0);
    sweep(store, sites, [true, false], T0 + MIN);
    expect(store.events().map((e) => [e.id, e.type])).toEqual([
      [1, 'down'],
      [2, 'up'],
      [3, 'down'],
    ]);
    expect(store.events(1, 1).map((e) => e.id)).toEqual([2]);
  });
});

describe('sizes, for the benchmarks', () => {
  it('counts rows and the bytes of a table, and opens without fsync only when asked', () => {
    sweep(store, makeSites(3), [true, false, true], T0);
    expect(store.rows('results')).toBe(3);
    expect(store.rows('sweeps')).toBe(1);
    expect(store.bytes('results')).toBeGreaterThan(0);
    expect(store.bytes('no_such_table')).toBe(0);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    const fast = WatchStore.open(join(dir.path, 'fast.db'), { durable: false });
    try {
      expect(fast.db.pragma('synchronous', { simple: true })).toBe(0);
    } finally {
      fast.close();
    }
  });
});
