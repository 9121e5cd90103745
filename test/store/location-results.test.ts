/** Each location's results in the database (schema 6): written with the sweep, read per location, pruned with raw results. */

import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { History } from '../../src/store/history.js';
import { HOUR_MS } from '../../src/store/retention.js';
import { StatusReader } from '../../src/store/status-history.js';
import { buildUptime } from '../../src/store/uptime-report.js';
import { recordSweep } from '../../src/watch/sweep.js';
import { makeResult, makeSite, useTempStore } from './fixtures.js';

const db = useTempStore('locations.db');
const T0 = Date.parse('2030-01-01T00:00:00Z');

const site = makeSite('http://shop.example/', { name: 'Shop' });

/** A verdict (up) with what each location saw: true up, false down, null no result. */
function sweepAt(at: number, seen: Record<string, boolean | null>) {
  const result: Result = {
    ...makeResult(site, true, at),
    locations: Object.entries(seen).map(([location, ok]) => ({
      location,
      ok,
      kind: ok === null ? 'unchecked' : ok ? 'ok' : 'refused',
      status: ok ? 200 : null,
      error: ok ? null : 'connection refused',
      timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: 2, totalMs: 3 },
    })),
  };
  recordSweep(
    db.store(),
    { sites: [site], results: [result], startedAt: at, finishedAt: at + 10, aborted: false, skippedTicks: 0 },
    null,
  );
}

describe('location results', () => {
  it('keeps each location per sweep; report and the status page read uptime per location; pruned with raw results', () => {
    sweepAt(T0, { 'eu-west': true, 'ap-south': false });
    sweepAt(T0 + 3 * HOUR_MS, { 'eu-west': true, 'ap-south': true, 'us-east': null });
    sweepAt(T0 + 4 * HOUR_MS, { 'eu-west': true, 'ap-south': false, 'us-east': true });
    const count = () =>
      db.store().db.prepare('SELECT COUNT(*) FROM location_results').pluck().get() as number;
    expect(count()).toBe(8);

    const history = History.open(db.file());
    try {
      const [row] = buildUptime(history, T0 - HOUR_MS, T0 + 5 * HOUR_MS).report.sites;
      expect(row?.uptimePct).toBe(100);
      expect(row?.locations).toEqual([
        { location: 'ap-south', uptimePct: 33.333, checks: 3, unanswered: 0 },
        { location: 'eu-west', uptimePct: 100, checks: 3, unanswered: 0 },
        { location: 'us-east', uptimePct: 100, checks: 1, unanswered: 1 },
      ]);
    } finally {
      history.close();
    }
    const reader = StatusReader.open(db.file());
    try {
      const { locations } = reader.snapshot((r) => r.current(T0 + 5 * HOUR_MS));
      expect(locations?.bySite.get([...locations.bySite.keys()][0] ?? '')).toEqual([
        { location: 'ap-south', lastOk: false, uptimePct: 33.333 },
        { location: 'eu-west', lastOk: true, uptimePct: 100 },
        { location: 'us-east', lastOk: true, uptimePct: 100 },
      ]);
      expect(locations?.missing).toEqual([]);
    } finally {
      reader.close();
    }

    // Kept as long as raw results: the first sweep's rows go once it is older than --keep-raw.
    db.store().retain(T0 + 4 * HOUR_MS, { retentionMs: 90 * 24 * HOUR_MS, keepRawMs: 2 * HOUR_MS });
    expect(count()).toBe(6);
  });

  it('a sweep without locations writes none', () => {
    recordSweep(
      db.store(),
      {
        sites: [site],
        results: [makeResult(site, true, T0)],
        startedAt: T0,
        finishedAt: T0 + 1,
        aborted: false,
        skippedTicks: 0,
      },
      null,
    );
    expect(db.store().db.prepare('SELECT COUNT(*) FROM location_results').pluck().get()).toBe(0);
  });
});
