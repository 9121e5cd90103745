/**
 * The status page's read model over a real database: daily and hourly counts from raw results and
 * hourly rollups alike, states (degraded: up but failing below the threshold), incidents, the monitor;
 * and the model built from them, with the book taking later sweeps in memory to the same counts.
 */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UptimeBook } from '../../src/serve/status/book.js';
import { buildStatusModel, DEFAULT_PAGE, type PageSite } from '../../src/serve/status/build.js';
import { renderStatusPage } from '../../src/serve/status/html.js';
import { StatusReader } from '../../src/store/status-history.js';
import { WatchStore } from '../../src/store/store.js';
import { siteKey } from '../../src/util/site-key.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, sweep } from './fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');

const sites = [
  makeSite('https://shop.example/', { name: 'Shop' }),
  makeSite('https://api.example/health?token=s3cret', { name: 'API' }),
  makeSite('https://blog.example/', { name: 'Blog', failureThreshold: 3 }),
];
const pageSites: PageSite[] = sites.map((s, i) => ({
  id: ['shop', 'api', 'blog'][i] as string,
  key: siteKey(s.url),
  name: s.name,
  url: s.url,
  group: null,
}));

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;

/** Hourly sweeps over three days; the API is down on day 2 from 06:00 to 08:00 and again from day 3 22:00. */
function verdicts(t: number): boolean[] {
  const apiUp = !((t >= DAY + 6 * HOUR && t < DAY + 8 * HOUR) || t >= 2 * DAY + 22 * HOUR);
  // The blog fails its last check only: below its threshold of 3, so still up, degraded.
  const blogUp = t < 3 * DAY - HOUR;
  return [true, apiUp, blogUp];
}

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'status.db');
  const store = WatchStore.open(file);
  for (let t = 0; t < 3 * DAY; t += HOUR) sweep(store, sites, verdicts(t), T0 + t);
  // Everything older than a day rolled up into hours: the counts must come out the same.
  for (let i = 0; i < 10; i++)
    store.retain(T0 + 3 * DAY, { retentionMs: 90 * DAY, keepRawMs: DAY, maxHours: 100 });
  store.close();
});
afterEach(async () => {
  await dir.cleanup();
});

function read(now: number) {
  const reader = StatusReader.open(file);
  try {
    return reader.snapshot((r) => ({ counts: r.counts(now), current: r.current(now) }));
  } finally {
    reader.close();
  }
}

/** The page's model as the live server builds it from a fresh read. */
function modelAt(now: number) {
  const { counts, current } = read(now);
  return buildStatusModel({
    page: DEFAULT_PAGE,
    sites: pageSites,
    current,
    book: UptimeBook.from(counts),
    now,
  });
}

describe('the status read model', () => {
  const now = T0 + 3 * DAY - 1;

  it('counts checks per UTC day from rollups and raw results alike, and per hour over the last day', () => {
    const { counts } = read(now);
    const day = (n: number) => Math.floor((T0 + n * DAY) / DAY);
    const api = counts.days.get(siteKey(sites[1]?.url ?? ''));
    expect([0, 1, 2].map((n) => api?.get(day(n)))).toEqual([
      { checks: 24, failures: 0 },
      { checks: 24, failures: 2 },
      { checks: 24, failures: 2 },
    ]);
    const apiHours = counts.hours.get(siteKey(sites[1]?.url ?? ''));
    expect([...(apiHours?.values() ?? [])].reduce((n, c) => n + c.checks, 0)).toBe(25);
  });

  it('builds the model: states in words, 90 days with no data before the first, windows, incidents', () => {
    const model = modelAt(now);
    const [shop, api, blog] = model.sites;
    expect(model.sites.map((s) => [s.id, s.state])).toEqual([
      ['shop', 'up'],
      ['api', 'down'],
      ['blog', 'degraded'],
    ]);
    expect(model.banner.state).toBe('partial-outage');
    expect(api?.url).toBe('https://api.example/health?token=***');
    expect(shop?.days).toHaveLength(90);
    expect(shop?.days.slice(0, 87).every((d) => d.uptimePct === null && d.checks === 0)).toBe(true);
    expect(api?.days.slice(87).map((d) => [d.day, d.checks, d.failures, d.uptimePct])).toEqual([
      ['2030-01-01', 24, 0, 100],
      ['2030-01-02', 24, 2, 91.667],
      ['2030-01-03', 24, 2, 91.667],
    ]);
    expect(api?.uptime).toEqual({ '24h': 91.667, '7d': 94.444, '30d': 94.444, '90d': 94.444 });
    expect(api?.openIncidents).toEqual([
      {
        start: '2030-01-03T22:00:00.001Z',
        end: null,
        durationMs: 2 * HOUR - 2,
        cause: 'HTTP 503, expected 200-399',
      },
    ]);
    expect(api?.closedIncidents.map((i) => [i.start, i.end, i.durationMs])).toEqual([
      ['2030-01-02T06:00:00.001Z', '2030-01-02T08:00:00.001Z', 2 * HOUR],
    ]);
    expect(shop?.responseMs).toBe(50);
    expect(api?.responseMs).toBeNull();
    expect(blog?.since).toBe('2030-01-01T00:00:00.002Z');
    expect(model.lastSweepAt).toBe(new Date(T0 + 3 * DAY - HOUR + 13).toISOString());
  });

  it('lists the times the monitor was offline, newest first, on the page and in the model', () => {
    const store = WatchStore.open(file);
    const insert = store.db.prepare(
      'INSERT INTO offline_periods (started_at, ended_at, sweeps) VALUES (?, ?, 1)',
    );
    insert.run(T0 + DAY, T0 + DAY + 2 * HOUR);
    insert.run(T0 + 2 * DAY, null);
    store.close();
    const model = modelAt(now);
    expect(model.monitorOffline).toEqual([
      { start: '2030-01-03T00:00:00.000Z', end: null, durationMs: now - (T0 + 2 * DAY) },
      { start: '2030-01-02T00:00:00.000Z', end: '2030-01-02T02:00:00.000Z', durationMs: 2 * HOUR },
    ]);
    const page = renderStatusPage(model);
    const section = page.slice(page.indexOf('<section class="group" id="monitor-offline">'));
    expect(section).toContain('<h2>Monitor offline</h2>');
    expect(section).toContain('count neither as up nor as down');
    expect(section).toMatch(/Ongoing since <time datetime="2030-01-03T00:00:00.000Z">/);
    expect(section).toMatch(
      /<time datetime="2030-01-02T00:00:00.000Z">[^<]*<\/time> to <time datetime="2030-01-02T02:00:00.000Z">[^<]*<\/time> \(2h\)/,
    );
  });

  it('shows no offline section when the monitor never was', () => {
    const model = modelAt(now);
    expect(model.monitorOffline).toEqual([]);
    expect(renderStatusPage(model)).not.toContain('id="monitor-offline"');
  });

  it('the book takes later sweeps in memory to the counts a fresh read gives', async () => {
    const before = read(now);
    const book = UptimeBook.from(before.counts);
    const store = WatchStore.open(file);
    const later = T0 + 3 * DAY;
    for (let t = later; t < later + 5 * HOUR; t += HOUR) {
      const committed = sweep(store, sites, [true, t > later + 2 * HOUR, false], t);
      expect(committed.sweep.outcome).toBe('ok');
      sites.forEach((site, i) => {
        book.add(siteKey(site.url), t + i, [true, t > later + 2 * HOUR, false][i] as boolean);
      });
    }
    store.close();
    const at = later + 5 * HOUR;
    const fresh = UptimeBook.from(read(at).counts);
    for (const site of pageSites) {
      expect(book.days(site.key, at)).toEqual(fresh.days(site.key, at));
      expect(book.windows(site.key, at)).toEqual(fresh.windows(site.key, at));
    }
    book.prune(at + 100 * DAY);
    expect(book.days(pageSites[0]?.key ?? '', at).every((d) => d.checks === 0)).toBe(true);
  });
});
