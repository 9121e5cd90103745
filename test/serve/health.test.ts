import { describe, expect, it } from 'vitest';
import { evaluateHealth, type HealthFacts } from '../../src/serve/health.js';
import { bannerOf, groupSites } from '../../src/serve/status/model.js';
import { site } from './fixtures.js';

const MIN = 60_000;
const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  now: NOW,
  startedAt: NOW - 60 * MIN,
  lastSweepAt: NOW - 2 * MIN,
  intervalMs: 5 * MIN,
  database: { writable: true },
  outbox: { oldestPendingAt: null, expireMs: 24 * 60 * MIN },
  ...over,
});

describe('health', () => {
  it('is healthy with a recent sweep, a writable database and a moving outbox', () => {
    const report = evaluateHealth(facts());
    expect(report.healthy).toBe(true);
    expect(report.parts.sweeps).toEqual({ healthy: true, detail: 'last sweep 2m ago' });
  });

  it('sweeps: unhealthy past two schedule intervals, counted from the start before the first sweep', () => {
    expect(evaluateHealth(facts({ lastSweepAt: NOW - 10 * MIN })).parts.sweeps.healthy).toBe(true);
    const late = evaluateHealth(facts({ lastSweepAt: NOW - 11 * MIN }));
    expect(late.healthy).toBe(false);
    expect(late.parts.sweeps.detail).toBe(
      'the last sweep finished 11m ago, more than two schedule intervals (10m)',
    );
    expect(evaluateHealth(facts({ lastSweepAt: null, startedAt: NOW - MIN })).parts.sweeps).toEqual({
      healthy: true,
      detail: 'first sweep in progress',
    });
    expect(
      evaluateHealth(facts({ lastSweepAt: null, startedAt: NOW - 11 * MIN })).parts.sweeps.detail,
    ).toMatch(/^no sweep has finished since the start 11m ago/);
  });

  it('database and outbox say what is wrong', () => {
    const db = evaluateHealth(
      facts({ database: { writable: false, error: 'SQLITE_FULL: database or disk is full' } }),
    );
    expect(db.healthy).toBe(false);
    expect(db.parts.database.detail).toBe('not writable: SQLITE_FULL: database or disk is full');
    const stuck = evaluateHealth(
      facts({ outbox: { oldestPendingAt: NOW - 26 * 60 * MIN, expireMs: 24 * 60 * MIN } }),
    );
    expect(stuck.healthy).toBe(false);
    expect(stuck.parts.outbox.detail).toMatch(/^a notification has waited 1d 2h, past its expiry \(1d\)/);
    expect(evaluateHealth(facts({ outbox: null })).parts.outbox).toEqual({
      healthy: true,
      detail: 'no channels',
    });
  });
});

describe('the banner and groups', () => {
  it('says the worst of the known states, and offline over everything', () => {
    expect(bannerOf(['up', 'up'], false)).toBe('operational');
    expect(bannerOf(['up', 'degraded'], false)).toBe('degraded');
    expect(bannerOf(['up', 'up', 'down'], false)).toBe('partial-outage');
    expect(bannerOf(['up', 'down'], false)).toBe('major-outage');
    expect(bannerOf(['down', 'unknown', 'unknown'], false)).toBe('major-outage');
    expect(bannerOf(['unknown'], false)).toBe('no-data');
    expect(bannerOf([], false)).toBe('no-data');
    expect(bannerOf(['up'], true)).toBe('offline');
  });

  it('groups keep config order, ungrouped sites first', () => {
    const groups = groupSites([
      site('a', 'up', { group: 'G1' }),
      site('b', 'up'),
      site('c', 'up', { group: 'G2' }),
      site('d', 'up', { group: 'G1' }),
    ]);
    expect(groups.map((g) => [g.group, g.sites.map((s) => s.id)])).toEqual([
      [null, ['b']],
      ['G1', ['a', 'd']],
      ['G2', ['c']],
    ]);
  });
});
