/** Read-only queries over a window of history, for `uptime-squirrel report`. */

import type { Cause, KindCounts, SiteStatus } from '../core/state.js';
import { asStoreError } from './errors.js';
import { type LocationUptime, locationUptime } from './location-results.js';
import { type DB, openDatabase } from './open.js';
import { HOUR_MS } from './retention.js';
import { type Silence, silencesAt } from './silences.js';

export interface HistorySite {
  id: number;
  key: string;
  url: string;
  name: string | null;
  status: SiteStatus;
  since: number | null;
}

export interface HistoryIncident {
  siteId: number;
  start: number;
  end: number | null;
  cause: Cause;
}

/** A stretch of the monitor being offline (offline_periods). */
export interface HistoryOfflinePeriod {
  start: number;
  /** null while it lasts. */
  end: number | null;
  sweeps: number;
  /** What its first sweep saw; null for stretches recorded before schema 3. */
  failed: number | null;
  checked: number | null;
  kinds: KindCounts | null;
}

export class History {
  private constructor(
    readonly file: string,
    private readonly db: DB,
  ) {}

  /** Opens read-only: never creates, migrates or locks; works beside a running daemon (WAL). */
  static open(file: string): History {
    return new History(file, openDatabase(file, { readonly: true }));
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw asStoreError(this.file, error);
    }
  }

  /** Reads everything in one transaction, so the window is consistent while the daemon writes. */
  snapshot<T>(fn: (history: History) => T): T {
    return this.guard(() => this.db.transaction(() => fn(this)).deferred());
  }

  /** Sites swept in the window, in the order they were first seen. */
  sites(since: number): HistorySite[] {
    return this.db
      .prepare('SELECT id, key, url, name, status, since FROM sites WHERE last_seen >= ? ORDER BY id')
      .all(since) as HistorySite[];
  }

  /** Raw results in [since, until): site, time, ok, total ms. */
  rawResults(since: number, until: number): IterableIterator<[number, number, number, number]> {
    return this.db
      .prepare(
        `SELECT r.site_id, r.at, r.ok, r.total_ms FROM sweeps s JOIN results r ON r.sweep_id = s.id
         WHERE s.raw = 1 AND s.started_at >= ? AND s.started_at < ? AND r.maintenance = 0`,
      )
      .raw()
      .iterate(since, until) as IterableIterator<[number, number, number, number]>;
  }

  /** Raw results of checks taken during a maintenance window, in [since, until): site, time. */
  maintenanceResults(since: number, until: number): IterableIterator<[number, number]> {
    return this.db
      .prepare(
        `SELECT r.site_id, r.at FROM sweeps s JOIN results r ON r.sweep_id = s.id
         WHERE s.raw = 1 AND s.started_at >= ? AND s.started_at < ? AND r.maintenance = 1`,
      )
      .raw()
      .iterate(since, until) as IterableIterator<[number, number]>;
  }

  /** The silences not over at `now`, oldest first. */
  silences(now: number): Silence[] {
    return silencesAt(this.db, now);
  }

  /** Raw results of the sweeps taken while the monitor was offline, in [since, until): site, time. */
  offlineResults(since: number, until: number): IterableIterator<[number, number]> {
    return this.db
      .prepare(
        `SELECT o.site_id, o.at FROM sweeps s JOIN offline_results o ON o.sweep_id = s.id
         WHERE s.raw = 1 AND s.started_at >= ? AND s.started_at < ?`,
      )
      .raw()
      .iterate(since, until) as IterableIterator<[number, number]>;
  }

  /**
   * Hourly rollups of the whole hours in [since, until): site, hour start, checks, failures, ok ms sum,
   * histogram, checks taken while the monitor was offline, checks taken during maintenance.
   */
  rollups(
    since: number,
    until: number,
  ): IterableIterator<[number, number, number, number, number, Buffer, number, number]> {
    return this.db
      .prepare(
        `SELECT site_id, hour * ${HOUR_MS}, checks, failures, ok_ms_sum, histogram, offline, maintenance
         FROM rollups WHERE hour >= ? AND hour < ?`,
      )
      .raw()
      .iterate(Math.ceil(since / HOUR_MS), Math.ceil(until / HOUR_MS)) as IterableIterator<
      [number, number, number, number, number, Buffer, number, number]
    >;
  }

  /** Stretches of the monitor being offline that overlap [since, until), oldest first. */
  offlinePeriods(since: number, until: number): HistoryOfflinePeriod[] {
    const rows = this.db
      .prepare(
        `SELECT started_at, ended_at, sweeps, failed, checked, kinds FROM offline_periods
         WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id`,
      )
      .all(until, since) as {
      started_at: number;
      ended_at: number | null;
      sweeps: number;
      failed: number | null;
      checked: number | null;
      kinds: string | null;
    }[];
    return rows.map((r) => ({
      start: r.started_at,
      end: r.ended_at,
      sweeps: r.sweeps,
      failed: r.failed,
      checked: r.checked,
      kinds: r.kinds === null ? null : (JSON.parse(r.kinds) as KindCounts),
    }));
  }

  /** Incidents that overlap [since, until), oldest first. */
  incidents(since: number, until: number): HistoryIncident[] {
    const rows = this.db
      .prepare(
        `SELECT site_id, started_at, ended_at, cause FROM incidents
         WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id`,
      )
      .all(until, since) as { site_id: number; started_at: number; ended_at: number | null; cause: string }[];
    return rows.map((r) => ({
      siteId: r.site_id,
      start: r.started_at,
      end: r.ended_at,
      cause: JSON.parse(r.cause) as Cause,
    }));
  }

  /** Queue mode with locations: per site id, each location's uptime in [since, until). */
  locationUptime(since: number, until: number): Map<number, LocationUptime[]> {
    return locationUptime(this.db, since, until);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
