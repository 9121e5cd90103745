/**
 * What each location saw of each site in each sweep (queue mode with locations; schema version 7,
 * location-migration.ts), and per-location uptime over a window. The combined verdict goes where every
 * result goes (results, rollups); these rows keep each location's own as long as raw results are kept
 * (`--keep-raw`, retention.ts), not rolled up: a location's uptime is counted over the rows kept.
 */

import type { Database as DB } from 'better-sqlite3';
import type { Kind } from '../core/result.js';
import { LOCATION_RESULTS } from './location-migration.js';
import { sql } from './statements.js';

/** One location's result as stored. */
export interface LocationRow {
  location: string;
  ok: boolean | null;
  status: number | null;
  kind: Kind;
  totalMs: number;
}

function hasTable(db: DB): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= LOCATION_RESULTS.version;
}

/** Inside the sweep's transaction (commit.ts). A file kept at an older version on purpose keeps none. */
export function writeLocationRows(
  db: DB,
  sweepId: number,
  siteId: number,
  at: number,
  rows: readonly LocationRow[],
): void {
  if (rows.length === 0 || !hasTable(db)) return;
  const insert = sql(
    db,
    `INSERT OR IGNORE INTO location_results (sweep_id, site_id, location, at, ok, status, kind, total_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    const ok = r.ok === null ? null : r.ok ? 1 : 0;
    insert.run(
      sweepId,
      siteId,
      r.location,
      at,
      ok,
      r.status,
      r.ok === true ? null : r.kind,
      Math.round(r.totalMs),
    );
  }
}

/** Deletes the rows older than `cutoff` (retention); the count deleted. */
export function pruneLocationRows(db: DB, cutoff: number): number {
  if (!hasTable(db)) return 0;
  return sql(db, 'DELETE FROM location_results WHERE at < ?').run(cutoff).changes;
}

/** A site's uptime as one location saw it over a window. */
export interface LocationUptime {
  location: string;
  /** Up checks / answered checks, in percent (3 decimals); null when it never answered. */
  uptimePct: number | null;
  /** Checks it answered. */
  checks: number;
  /** Sweeps in which it gave no result (no live worker there). */
  unanswered: number;
}

/** Per site id, each location's uptime in [since, until), locations in name order. */
export function locationUptime(db: DB, since: number, until: number): Map<number, LocationUptime[]> {
  const bySite = new Map<number, LocationUptime[]>();
  if (!hasTable(db)) return bySite;
  const rows = sql(
    db,
    `SELECT site_id, location, SUM(ok IS NOT NULL) AS checks, SUM(ok = 1) AS up, SUM(ok IS NULL) AS unanswered
       FROM location_results WHERE at >= ? AND at < ? GROUP BY site_id, location ORDER BY site_id, location`,
  ).all(since, until) as Array<{
    site_id: number;
    location: string;
    checks: number;
    up: number | null;
    unanswered: number;
  }>;
  for (const r of rows) {
    const list = bySite.get(r.site_id) ?? [];
    list.push({
      location: r.location,
      uptimePct: r.checks === 0 ? null : Math.round(((r.up ?? 0) / r.checks) * 100_000) / 1000,
      checks: r.checks,
      unanswered: r.unanswered,
    });
    bySite.set(r.site_id, list);
  }
  return bySite;
}

/** What the status page shows of the locations: each site's latest verdict and 24-hour uptime per location. */
export interface StoredLocations {
  /** By site key, locations in name order. */
  bySite: Map<string, Array<{ location: string; lastOk: boolean | null; uptimePct: number | null }>>;
  /** The latest sweep with locations: those that gave no result for some sites, and for how many. */
  missing: Array<{ location: string; missing: number }>;
}

/** Within the default --keep-raw (2 days): the rows are there. */
const UPTIME_WINDOW_MS = 86_400_000;

/** Empty on a database without location rows (no sweep with locations yet, or an older schema). */
export function storedLocations(db: DB, now: number): StoredLocations {
  const out: StoredLocations = { bySite: new Map(), missing: [] };
  if (!hasTable(db)) return out;
  const latest = sql(db, 'SELECT MAX(sweep_id) FROM location_results').pluck().get() as number | null;
  if (latest === null) return out;
  const last = sql(
    db,
    `SELECT st.key, lr.site_id, lr.location, lr.ok FROM location_results lr JOIN sites st ON st.id = lr.site_id
       WHERE lr.sweep_id = ? ORDER BY lr.site_id, lr.location`,
  ).all(latest) as Array<{ key: string; site_id: number; location: string; ok: number | null }>;
  const uptime = locationUptime(db, now - UPTIME_WINDOW_MS, now + 1);
  const missing = new Map<string, number>();
  for (const r of last) {
    const list = out.bySite.get(r.key) ?? [];
    const pct = uptime.get(r.site_id)?.find((u) => u.location === r.location)?.uptimePct ?? null;
    list.push({ location: r.location, lastOk: r.ok === null ? null : r.ok === 1, uptimePct: pct });
    out.bySite.set(r.key, list);
    if (r.ok === null) missing.set(r.location, (missing.get(r.location) ?? 0) + 1);
  }
  out.missing = [...missing].map(([location, n]) => ({ location, missing: n }));
  return out;
}
