/**
 * Keeps the file bounded: raw results older than `keepRawMs` become one row per site per hour (count,
 * failures, mean and a response-time histogram), and anything older than `retentionMs` is deleted.
 * Freed pages are reused by later inserts, so the file stops growing once retention is reached.
 */

import { addTo, decodeHistogram, encodeHistogram, type Histogram } from './histogram.js';
import { pruneLocationRows } from './location-results.js';
import type { DB } from './open.js';
import { hasQuietColumns } from './quiet-migration.js';
import { sql } from './statements.js';

export const HOUR_MS = 3_600_000;

export interface RetentionOptions {
  /** Everything older is deleted (rollups, sweeps, events, closed incidents and offline periods). */
  retentionMs: number;
  /** Raw results older than this are rolled up into hours; at most retentionMs. */
  keepRawMs: number;
  /** Hours rolled up per call, each in its own short transaction; the rest waits for the next call. */
  maxHours?: number;
}

export interface RetentionReport {
  hoursRolledUp: number;
  resultsRolledUp: number;
  deleted: { rollups: number; sweeps: number; events: number; incidents: number; offlinePeriods: number };
}

interface Aggregate {
  checks: number;
  failures: number;
  okMsSum: number;
  histogram: Histogram;
  /** Checks taken while the monitor was offline: counted apart, never as the site's checks or failures. */
  offline: number;
  /** Checks taken during a maintenance window: counted apart too. */
  maintenance: number;
}

const RAW_IN_HOUR = 'SELECT id FROM sweeps WHERE raw = 1 AND started_at >= ? AND started_at < ?';

function rollupHour(db: DB, hourStart: number): number {
  const hourEnd = hourStart + HOUR_MS;
  const bySite = new Map<number, Aggregate>();
  const quiet = hasQuietColumns(db);
  // The last column: 0 a site's own check, 1 taken while the monitor was offline, 2 during maintenance.
  const rows = sql(
    db,
    `SELECT r.site_id, r.ok, r.total_ms, ${quiet ? '2 * r.maintenance' : '0'} FROM sweeps s JOIN results r ON r.sweep_id = s.id
       WHERE s.raw = 1 AND s.started_at >= @start AND s.started_at < @end
     UNION ALL
     SELECT o.site_id, o.ok, o.total_ms, 1 FROM sweeps s JOIN offline_results o ON o.sweep_id = s.id
       WHERE s.raw = 1 AND s.started_at >= @start AND s.started_at < @end`,
  )
    .raw()
    .iterate({ start: hourStart, end: hourEnd }) as IterableIterator<[number, number, number, number]>;
  let count = 0;
  for (const [siteId, ok, totalMs, apart] of rows) {
    count++;
    let agg = bySite.get(siteId);
    if (agg === undefined) {
      agg = { checks: 0, failures: 0, okMsSum: 0, histogram: new Map(), offline: 0, maintenance: 0 };
      bySite.set(siteId, agg);
    }
    if (apart === 1) {
      agg.offline++;
      continue;
    }
    if (apart === 2) {
      agg.maintenance++;
      continue;
    }
    agg.checks++;
    if (ok) {
      agg.okMsSum += totalMs;
      addTo(agg.histogram, totalMs);
    } else agg.failures++;
  }
  const hour = hourStart / HOUR_MS;
  const existing = sql(
    db,
    `SELECT checks, failures, ok_ms_sum, histogram, offline, ${quiet ? 'maintenance' : '0 AS maintenance'} FROM rollups WHERE hour = ? AND site_id = ?`,
  );
  const upsert = sql(
    db,
    quiet
      ? `INSERT OR REPLACE INTO rollups (hour, site_id, checks, failures, ok_ms_sum, histogram, offline, maintenance)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      : `INSERT OR REPLACE INTO rollups (hour, site_id, checks, failures, ok_ms_sum, histogram, offline)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [siteId, agg] of bySite) {
    // A late sweep for an hour already rolled up (the clock went back) is merged, not lost.
    const old = existing.get(hour, siteId) as
      | {
          checks: number;
          failures: number;
          ok_ms_sum: number;
          histogram: Buffer;
          offline: number;
          maintenance: number;
        }
      | undefined;
    if (old !== undefined) {
      agg.offline += old.offline;
      agg.maintenance += old.maintenance;
      agg.checks += old.checks;
      agg.failures += old.failures;
      agg.okMsSum += old.ok_ms_sum;
      decodeHistogram(old.histogram, agg.histogram);
    }
    const histogram = encodeHistogram(agg.histogram);
    const row = [hour, siteId, agg.checks, agg.failures, agg.okMsSum, histogram, agg.offline];
    upsert.run(...(quiet ? [...row, agg.maintenance] : row));
  }
  sql(db, `DELETE FROM results WHERE sweep_id IN (${RAW_IN_HOUR})`).run(hourStart, hourEnd);
  sql(db, `DELETE FROM offline_results WHERE sweep_id IN (${RAW_IN_HOUR})`).run(hourStart, hourEnd);
  sql(db, 'UPDATE sweeps SET raw = 0 WHERE raw = 1 AND started_at >= ? AND started_at < ?').run(
    hourStart,
    hourEnd,
  );
  return count;
}

export function rollupAndPrune(db: DB, now: number, opts: RetentionOptions): RetentionReport {
  const keepRawMs = Math.min(opts.keepRawMs, opts.retentionMs);
  // Whole hours only: an hour is rolled up once every sweep in it is older than keepRawMs.
  const rawHorizon = Math.floor((now - keepRawMs) / HOUR_MS) * HOUR_MS;
  const maxHours = opts.maxHours ?? 24;
  const oldestRaw = sql(db, 'SELECT MIN(started_at) FROM sweeps WHERE raw = 1 AND started_at < ?').pluck();
  const report: RetentionReport = {
    hoursRolledUp: 0,
    resultsRolledUp: 0,
    deleted: { rollups: 0, sweeps: 0, events: 0, incidents: 0, offlinePeriods: 0 },
  };
  while (report.hoursRolledUp < maxHours) {
    const oldest = oldestRaw.get(rawHorizon) as number | null;
    if (oldest === null) break;
    const hourStart = Math.floor(oldest / HOUR_MS) * HOUR_MS;
    report.resultsRolledUp += db.transaction(() => rollupHour(db, hourStart)).immediate();
    report.hoursRolledUp++;
  }

  const cutoff = now - opts.retentionMs;
  db.transaction(() => {
    const d = report.deleted;
    d.rollups = sql(db, 'DELETE FROM rollups WHERE hour < ?').run(Math.floor(cutoff / HOUR_MS)).changes;
    // Raw results past retention exist only when keepRawMs was longer before; remove them with their sweeps.
    for (const table of ['results', 'offline_results']) {
      sql(
        db,
        `DELETE FROM ${table} WHERE sweep_id IN (SELECT id FROM sweeps WHERE raw = 1 AND started_at < ?)`,
      ).run(cutoff);
    }
    d.sweeps = sql(db, 'DELETE FROM sweeps WHERE started_at < ?').run(cutoff).changes;
    d.events = sql(db, 'DELETE FROM events WHERE at < ?').run(cutoff).changes;
    // Each location's results are kept as long as raw results, not rolled up: one row per site, location
    // and sweep for the whole retention would outweigh everything else (not counted in the report).
    pruneLocationRows(db, rawHorizon);
    d.incidents = sql(db, 'DELETE FROM incidents WHERE ended_at IS NOT NULL AND ended_at < ?').run(
      cutoff,
    ).changes;
    d.offlinePeriods = sql(db, 'DELETE FROM offline_periods WHERE ended_at IS NOT NULL AND ended_at < ?').run(
      cutoff,
    ).changes;
  }).immediate();
  return report;
}
