import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderUptimeTable } from '../../src/report/report-table.js';
import { History } from '../../src/store/history.js';
import { SilenceStore } from '../../src/store/silences.js';
import { WatchStore } from '../../src/store/store.js';
import { buildUptime } from '../../src/store/uptime-report.js';
import type { CoverOf } from '../../src/watch/cover.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, sweep } from './fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'watch.db');
});

afterEach(async () => {
  await dir.cleanup();
});

function report(since: number, until: number) {
  const history = History.open(file);
  try {
    return buildUptime(history, since, until);
  } finally {
    history.close();
  }
}

const shop = makeSite('https://shop.example/', { name: 'Shop' });
/** A window over minutes 10 to 20 of the first hour. */
const window: CoverOf = (_site, at) =>
  at >= T0 + 10 * MIN && at < T0 + 20 * MIN
    ? { window: { name: 'deploy', end: T0 + 20 * MIN }, silence: null }
    : { window: null, silence: null };

describe('checks during a maintenance window', () => {
  it('are kept, marked, and counted in neither uptime nor failures, raw and rolled up alike', () => {
    const store = WatchStore.open(file);
    try {
      // One check a minute for an hour: failing from minute 10 to 19, inside the window only.
      for (let m = 0; m < 60; m++) {
        sweep(store, [shop], [!(m >= 10 && m < 20)], T0 + m * MIN, { cover: window });
      }
      expect(store.events().filter((e) => e.site !== null)).toEqual([]);
    } finally {
      store.close();
    }
    const raw = report(T0, T0 + HOUR).report.sites[0];
    expect(raw).toMatchObject({ checks: 50, maintenanceChecks: 10, uptimePct: 100 });

    const again = WatchStore.open(file);
    try {
      again.retain(T0 + 3 * HOUR, { retentionMs: 90 * 24 * HOUR, keepRawMs: HOUR });
    } finally {
      again.close();
    }
    const rolled = report(T0, T0 + HOUR).report.sites[0];
    expect(rolled).toMatchObject({ checks: 50, maintenanceChecks: 10, uptimePct: 100 });
  });
});

describe('silences in the store', () => {
  it('are written beside an open, locked daemon store, listed, shown by report, and removed', () => {
    const store = WatchStore.open(file);
    const lock = store.lock();
    try {
      sweep(store, [shop], [true], T0);
      const silences = SilenceStore.open(file);
      try {
        expect(silences.sites()).toEqual([{ name: 'Shop', url: 'https://shop.example/' }]);
        const added = silences.add(
          { sites: ['Shop'], startsAt: T0, endsAt: T0 + 2 * HOUR, reason: 'vendor' },
          T0,
        );
        expect(added).toMatchObject({ id: 1, sites: ['Shop'], reason: 'vendor', removedAt: null });
        silences.add({ sites: null, startsAt: T0, endsAt: T0 + HOUR, reason: null }, T0);
        expect(store.silences(T0 + HOUR).map((s) => s.id)).toEqual([1]);
        const view = report(T0, T0 + 30 * MIN);
        expect(view.report.silences).toEqual([
          {
            id: 1,
            sites: ['Shop'],
            start: new Date(T0).toISOString(),
            end: new Date(T0 + 2 * HOUR).toISOString(),
            reason: 'vendor',
          },
          {
            id: 2,
            sites: null,
            start: new Date(T0).toISOString(),
            end: new Date(T0 + HOUR).toISOString(),
            reason: null,
          },
        ]);
        const table = renderUptimeTable(view, {
          chalk: new Chalk({ level: 0 }),
          columns: 120,
          source: 'test',
        });
        expect(table).toContain('Silences');
        expect(table).toContain(
          `1  Shop, ${new Date(T0).toISOString()} until ${new Date(T0 + 2 * HOUR).toISOString()}: vendor`,
        );
        expect(silences.remove(1, T0 + MIN)).toBe(true);
        expect(silences.remove(1, T0 + 2 * MIN)).toBe(false);
        expect(silences.list(T0 + 2 * MIN).map((s) => s.id)).toEqual([2]);
      } finally {
        silences.close();
      }
    } finally {
      lock.release();
      store.close();
    }
  });
});
