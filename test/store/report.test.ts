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

function view(since: number, until: number) {
  const history = History.open(file);
  try {
    return buildUptime(history, since, until);
  } finally {
    history.close();
  }
}

describe('the uptime report', () => {
  it('has exactly the documented JSON shape', () => {
    const { report } = view(T0 + 24 * HOUR - 24 * HOUR, T0 + 24 * HOUR);
    expect(Object.keys(report)).toEqual(['since', 'until', 'sites']);
    for (const site of report.sites) {
      expect(Object.keys(site)).toEqual([
        'url',
        'name',
        'state',
        'stateSince',
        'uptimePct',
        'checks',
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

describe('sparkline', () => {
  const cell = (meanMs: number | null, checks = 1, failures = 0) => ({ meanMs, checks, failures });

  it('scales between the fastest and slowest cell, marks all-failed cells and leaves empty ones blank', () => {
    expect(sparkline([cell(10), cell(80), cell(45), cell(null, 2, 2), cell(null, 0)])).toBe('▁█▅× ');
  });

  it('draws a flat line when every cell is the same', () => {
    expect(sparkline([cell(5), cell(5)])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });
});
