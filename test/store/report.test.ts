import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderUptimeJson } from '../../src/report/report-json.js';
import { sparkline } from '../../src/report/report-sparkline.js';
import { renderUptimeTable } from '../../src/report/report-table.js';
import { History } from '../../src/store/history.js';
import { WatchStore } from '../../src/store/store.js';
import { buildUptime } from '../../src/store/uptime-report.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, sweep } from './fixtures.js';

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'report.db');
  const store = WatchStore.open(file);
  const sites = [
    makeSite('https://shop.example/', { name: 'Shop' }),
    makeSite('https://api.example/health?token=s3cret'),
    makeSite('https://gone.example/'),
  ];
  // 24 hours, one sweep every 10 minutes; the API is down from 06:00 to 07:00 and again from 23:00.
  for (let t = 0; t < 24 * HOUR; t += 10 * MIN) {
    const apiUp = !((t >= 6 * HOUR && t < 7 * HOUR) || t >= 23 * HOUR);
    const active = t < 2 * HOUR ? sites : sites.slice(0, 2);
    sweep(store, active, [true, apiUp, true], T0 + t, { ms: (i) => (i === 0 ? 100 + (t / HOUR) * 10 : 40) });
  }
  store.close();
});
afterEach(async () => {
  await dir.cleanup();
});

function view(since: number, until: number, dbFile = file) {
  const history = History.open(dbFile);
  try {
    return buildUptime(history, since, until);
  } finally {
    history.close();
  }
}

describe('the uptime report', () => {
  it('has exactly the documented JSON shape', () => {
    const { report } = view(T0 + 24 * HOUR - 24 * HOUR, T0 + 24 * HOUR);
    expect(Object.keys(report)).toEqual(['since', 'until', 'sites', 'offline', 'silences']);
    for (const site of report.sites) {
      expect(Object.keys(site)).toEqual([
        'url',
        'name',
        'state',
        'stateSince',
        'uptimePct',
        'checks',
        'offlineChecks',
        'maintenanceChecks',
        'p50Ms',
        'p95Ms',
        'incidents',
      ]);
    }
    expect(JSON.parse(renderUptimeJson(report))).toEqual(report);
  });

  it('gives per site uptime, checks, percentiles, state and incidents in the window', () => {
    const { report } = view(T0, T0 + 24 * HOUR);
    const [shop, api, gone] = report.sites;
    expect(shop).toMatchObject({
      name: 'Shop',
      state: 'up',
      stateSince: new Date(T0).toISOString(),
      uptimePct: 100,
      checks: 144,
    });
    expect(shop?.p50Ms).toBe(218);
    expect(shop?.p95Ms).toBe(327);
    expect(api).toMatchObject({
      url: 'https://api.example/health?token=***',
      state: 'down',
      checks: 144,
      p50Ms: 40,
    });
    expect(api?.uptimePct).toBeCloseTo((132 / 144) * 100, 3);
    expect(api?.stateSince).toBe(new Date(T0 + 23 * HOUR + 1).toISOString());
    expect(api?.incidents).toEqual([
      {
        start: new Date(T0 + 6 * HOUR + 1).toISOString(),
        end: new Date(T0 + 7 * HOUR + 1).toISOString(),
        cause: 'HTTP 503, expected 200-399',
      },
      {
        start: new Date(T0 + 23 * HOUR + 1).toISOString(),
        end: null,
        cause: 'HTTP 503, expected 200-399',
      },
    ]);
    expect(gone).toMatchObject({ checks: 12, uptimePct: 100 });
  });

  it('lists only the sites checked in the window, and only incidents that overlap it', () => {
    const { report } = view(T0 + 12 * HOUR, T0 + 24 * HOUR);
    expect(report.sites.map((s) => s.name ?? s.url)).toEqual([
      'Shop',
      'https://api.example/health?token=***',
    ]);
    expect(report.sites[1]?.incidents).toHaveLength(1);
    expect(report.sites[1]?.checks).toBe(72);
  });

  it('draws a table with a sparkline of response times and the incidents', () => {
    const v = view(T0, T0 + 24 * HOUR);
    const text = renderUptimeTable(v, { chalk: new Chalk({ level: 0 }), source: 'database x.db' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Uptime from 2030-01-01 00:00Z to 2030-01-02 00:00Z (24h), 3 sites, database x.db');
    expect(lines[2]).toMatch(/^SITE +STATE +SINCE +UPTIME +CHECKS +P50 +P95 +INCIDENTS +RESPONSE TIME$/);
    expect(lines[3]).toMatch(
      /^Shop +UP +2030-01-01 00:00Z +100% +144 +218 ms +327 ms +0 +▁▁▂▂▂▃▃▃▃▄▄▄▅▅▅▆▆▆▆▇▇▇██$/,
    );
    expect(lines[4]).toMatch(
      /DOWN +2030-01-01 23:00Z +91\.67% +144 +40 ms +40 ms +2 +▁▁▁▁▁▁×▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁×$/,
    );
    expect(text).toContain('Incidents\n');
    expect(text).toContain(
      'https://api.example/health?token=***: 2030-01-01 06:00Z to 2030-01-01 07:00Z (1h): HTTP 503, expected 200-399',
    );
    expect(text).toContain('2030-01-01 23:00Z to ongoing (1h): HTTP 503, expected 200-399');
  });

  it('says so when nothing was checked in the window', () => {
    const v = view(T0 + 48 * HOUR, T0 + 72 * HOUR);
    expect(v.report.sites).toEqual([]);
    expect(renderUptimeTable(v, { chalk: new Chalk({ level: 0 }), source: 'x' })).toContain(
      'No site was checked in this window.',
    );
  });
});

describe('the uptime report when the monitor was offline', () => {
  const sites = [
    makeSite('https://a.example/', { name: 'A' }),
    ...Array.from({ length: 4 }, (_v, i) => makeSite(`https://s${i}.example/`)),
  ];
  const ALL_UP = [true, true, true, true, true];
  const NONE = ['refused', 'refused', 'refused', 'refused', 'refused'] as const;
  let offlineFile: string;

  beforeEach(() => {
    offlineFile = join(dir.path, 'offline.db');
    const store = WatchStore.open(offlineFile);
    // Hourly sweeps: up from 00:00, offline at 10:00 and 11:00, up again from 12:00 to 23:00.
    for (let h = 0; h < 24; h++) sweep(store, sites, h === 10 || h === 11 ? NONE : ALL_UP, T0 + h * HOUR);
    store.close();
  });

  const offlineView = (since = T0, until = T0 + 24 * HOUR) => view(since, until, offlineFile);

  it('keeps the offline checks out of the uptime and counts them apart', () => {
    const { report } = offlineView();
    for (const site of report.sites) {
      expect(site).toMatchObject({ uptimePct: 100, checks: 22, offlineChecks: 2, incidents: [] });
    }
  });

  it('lists the offline period with its start, end, duration and what failed', () => {
    const { report } = offlineView();
    expect(report.offline).toEqual([
      {
        start: new Date(T0 + 10 * HOUR + 15).toISOString(),
        end: new Date(T0 + 12 * HOUR + 15).toISOString(),
        durationMs: 2 * HOUR,
        sweeps: 2,
        cause: '5 of 5 checks got no response (5 refused)',
      },
    ]);
    expect(offlineView(T0 + 13 * HOUR, T0 + 24 * HOUR).report.offline).toEqual([]);
    // One still going on lasts until the end of the window.
    const store = WatchStore.open(offlineFile);
    sweep(store, sites, NONE, T0 + 24 * HOUR);
    store.close();
    expect(offlineView(T0 + 13 * HOUR, T0 + 25 * HOUR).report.offline).toEqual([
      expect.objectContaining({ end: null, durationMs: HOUR - 15, sweeps: 1 }),
    ]);
  });

  it('shows the gap in the sparkline and the period beside the incidents in the table', () => {
    const text = renderUptimeTable(offlineView(), { chalk: new Chalk({ level: 0 }), source: 'x' });
    const lines = text.split('\n');
    expect(lines[3]).toMatch(/^A +UP .* 100% +22 .* 0 +▁{10}··▁{12}$/);
    expect(text).toContain('· monitor offline: 10 checks taken then are kept but not counted in uptime\n');
    expect(text).toContain(
      'Monitor offline\n  2030-01-01 10:00Z to 2030-01-01 12:00Z (2h), 2 sweeps: 5 of 5 checks got no response (5 refused)\n',
    );
  });

  it('keeps showing the gap once the hours are rolled up', () => {
    const store = WatchStore.open(offlineFile);
    store.retain(T0 + 48 * HOUR, { retentionMs: 90 * 24 * HOUR, keepRawMs: HOUR, maxHours: 100 });
    expect(store.db.prepare('SELECT COUNT(*) FROM offline_results').pluck().get()).toBe(0);
    store.close();
    const v = offlineView();
    expect(v.report.sites[0]).toMatchObject({ uptimePct: 100, checks: 22, offlineChecks: 2 });
    expect(v.sparks[0]?.map((c) => c.offline)).toEqual(
      Array.from({ length: 24 }, (_v, h) => (h === 10 || h === 11 ? 1 : 0)),
    );
  });
});

describe('sparkline', () => {
  const cell = (meanMs: number | null, checks = 1, failures = 0, offline = 0) => ({
    meanMs,
    checks,
    failures,
    offline,
  });

  it('scales between the fastest and slowest cell, marks all-failed cells and leaves empty ones blank', () => {
    expect(sparkline([cell(10), cell(80), cell(45), cell(null, 2, 2), cell(null, 0)])).toBe('▁█▅× ');
  });

  it('marks a cell whose only checks were taken while the monitor was offline with ·', () => {
    expect(sparkline([cell(10), cell(null, 0, 0, 3), cell(null, 1, 1, 3), cell(20, 1, 0, 3)])).toBe('▁·×█');
  });

  it('draws a flat line when every cell is the same', () => {
    expect(sparkline([cell(5), cell(5)])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });
});
