/**
 * The status page's read model: read-only queries for what `/`, `/api/status.json` and `report --html`
 * show. Two reads of different cost: `counts` (checks and failures per site per UTC day over 90 days and
 * per hour over the last day, from raw results and hourly rollups) runs once at the daemon's start and
 * for `report --html`; the daemon then adds each sweep's results in memory. `current` (states, latest
 * results, incidents, the monitor) is cheap and runs after every sweep.
 */

import type { Cause, QuietState, SiteStatus } from '../core/state.js';
import { asStoreError } from './errors.js';
import { type StoredLocations, storedLocations } from './location-results.js';
import { type DB, openDatabase } from './open.js';
import { hasQuietColumns } from './quiet-migration.js';
import { HOUR_MS } from './retention.js';
import { type Silence, silencesAt } from './silences.js';
import { sql } from './statements.js';

export const DAY_MS = 86_400_000;

/** Checks and failed checks in a bucket (a UTC day or hour): failures / checks is the downtime. */
export interface Counts {
  checks: number;
  failures: number;
}

/** Per site key: bucket number (UTC days, or hours, since the epoch) -> counts. */
export type Buckets = Map<string, Map<number, Counts>>;

export interface StatusCounts {
  days: Buckets;
  hours: Buckets;
}

export interface StoredIncident {
  start: number;
  /** null while open. */
  end: number | null;
  cause: Cause;
}

export interface StoredSiteStatus {
  key: string;
  /** Redacted, as stored. */
  url: string;
  name: string | null;
  status: SiteStatus;
  since: number | null;
  /** Consecutive failed checks up to now: an `up` site with failures is failing below its threshold. */
  failures: number;
  /** Its result in the latest sweep that checked it, if that sweep's results are still raw. */
  last: { at: number; ok: boolean; totalMs: number } | null;
  open: StoredIncident[];
  /** Newest first, at most CLOSED_SHOWN. */
  closed: StoredIncident[];
  /** The maintenance window the site was in at its last check; null when none. */
  maintenance?: string | null;
}

export interface StatusCurrent {
  sites: Map<string, StoredSiteStatus>;
  /** Start of the monitor's current offline spell; null while online. */
  monitorOfflineSince: number | null;
  /** When the last sweep finished; null before the first. */
  lastSweepAt: number | null;
  /** The last stretches of the monitor being offline (newest first, at most CLOSED_SHOWN), within 90 days. */
  offlinePeriods: { start: number; end: number | null }[];
  /** The silences not over at `now`, oldest first. */
  silences?: Silence[];
  /** Queue mode with locations: each location's view of each site (location-results.ts); empty otherwise. */
  locations?: StoredLocations;
}

/** Closed incidents shown per site. */
export const CLOSED_SHOWN = 10;

function add(buckets: Buckets, key: string, bucket: number, checks: number, failures: number): void {
  let site = buckets.get(key);
  if (site === undefined) {
    site = new Map();
    buckets.set(key, site);
  }
  const counts = site.get(bucket);
  if (counts === undefined) site.set(bucket, { checks, failures });
  else {
    counts.checks += checks;
    counts.failures += failures;
  }
}

export class StatusReader {
  private constructor(
    readonly file: string,
    private readonly db: DB,
  ) {}

  /** Read-only, beside a running daemon (WAL); never creates, migrates or locks. */
  static open(file: string): StatusReader {
    return new StatusReader(file, openDatabase(file, { readonly: true }));
  }

  /** Runs reads in one transaction, so they agree with each other while the daemon writes. */
  snapshot<T>(fn: (reader: StatusReader) => T): T {
    try {
      return this.db.transaction(() => fn(this)).deferred();
    } catch (error) {
      throw asStoreError(this.file, error);
    }
  }

  /** Counts per UTC day from the start of the day `days - 1` days before `now`, and per hour over the last 25 hours. */
  counts(now: number, days = 90): StatusCounts {
    const out: StatusCounts = { days: new Map(), hours: new Map() };
    const fromDay = Math.floor(now / DAY_MS) - (days - 1);
    const fromHour = Math.floor(now / HOUR_MS) - 24;
    const raw = sql(
      this.db,
      `SELECT st.key, r.at / ${HOUR_MS} AS hour, COUNT(*), SUM(1 - r.ok)
         FROM sweeps s JOIN results r ON r.sweep_id = s.id JOIN sites st ON st.id = r.site_id
         WHERE s.raw = 1 AND r.at >= ?${hasQuietColumns(this.db) ? ' AND r.maintenance = 0' : ''} GROUP BY r.site_id, hour`,
    )
      .raw()
      .iterate(fromDay * DAY_MS) as IterableIterator<[string, number, number, number]>;
    const rolled = sql(
      this.db,
      `SELECT st.key, ro.hour, ro.checks, ro.failures FROM rollups ro JOIN sites st ON st.id = ro.site_id
         WHERE ro.hour >= ?`,
    )
      .raw()
      .iterate((fromDay * DAY_MS) / HOUR_MS) as IterableIterator<[string, number, number, number]>;
    for (const rows of [raw, rolled]) {
      for (const [key, hour, checks, failures] of rows) {
        add(out.days, key, Math.floor((hour * HOUR_MS) / DAY_MS), checks, failures);
        if (hour >= fromHour) add(out.hours, key, hour, checks, failures);
      }
    }
    return out;
  }

  /** `now`: the offline stretches listed are those of the 90 days before it. */
  current(now: number = Date.now()): StatusCurrent {
    const sites = new Map<string, StoredSiteStatus>();
    const byId = new Map<number, StoredSiteStatus>();
    const rows = sql(
      this.db,
      'SELECT id, key, url, name, status, since, failures FROM sites ORDER BY id',
    ).all() as (Omit<StoredSiteStatus, 'last' | 'open' | 'closed'> & { id: number })[];
    for (const { id, ...row } of rows) {
      const site: StoredSiteStatus = { ...row, last: null, open: [], closed: [] };
      sites.set(row.key, site);
      byId.set(id, site);
    }
    const lastSweep = sql(this.db, 'SELECT MAX(finished_at) AS at FROM sweeps').get() as {
      at: number | null;
    };
    // Each site's result in the latest raw sweep that has one: the sweeps of the last hour are enough
    // for any schedule up to hourly; a site not checked since shows no response time.
    const latest = sql(
      this.db,
      `SELECT r.site_id, r.at, r.ok, r.total_ms FROM sweeps s JOIN results r ON r.sweep_id = s.id
         WHERE s.raw = 1 AND s.started_at >= ? ORDER BY s.id`,
    )
      .raw()
      .iterate((lastSweep.at ?? 0) - HOUR_MS) as IterableIterator<[number, number, number, number]>;
    for (const [siteId, at, ok, totalMs] of latest) {
      const site = byId.get(siteId);
      if (site) site.last = { at, ok: ok === 1, totalMs };
    }
    const incident = (r: { started_at: number; ended_at: number | null; cause: string }): StoredIncident => ({
      start: r.started_at,
      end: r.ended_at,
      cause: JSON.parse(r.cause) as Cause,
    });
    const open = sql(
      this.db,
      'SELECT site_id, started_at, ended_at, cause FROM incidents WHERE ended_at IS NULL ORDER BY started_at, id',
    ).all() as { site_id: number; started_at: number; ended_at: number | null; cause: string }[];
    for (const row of open) byId.get(row.site_id)?.open.push(incident(row));
    const closed = sql(
      this.db,
      `SELECT site_id, started_at, ended_at, cause FROM incidents
       WHERE site_id = ? AND ended_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ${CLOSED_SHOWN}`,
    );
    for (const [id, site] of byId) {
      site.closed = (closed.all(id) as { started_at: number; ended_at: number | null; cause: string }[]).map(
        incident,
      );
    }
    const offline = sql(this.db, "SELECT value FROM meta WHERE key = 'monitor_offline_since'").get() as
      | { value: string }
      | undefined;
    const periods = sql(
      this.db,
      `SELECT started_at, ended_at FROM offline_periods WHERE ended_at IS NULL OR ended_at >= ?
       ORDER BY started_at DESC, id DESC LIMIT ${CLOSED_SHOWN}`,
    ).all(now - 90 * DAY_MS) as { started_at: number; ended_at: number | null }[];
    if (hasQuietColumns(this.db)) {
      const quiet = sql(this.db, 'SELECT key, quiet FROM sites WHERE quiet IS NOT NULL').all() as {
        key: string;
        quiet: string;
      }[];
      for (const row of quiet) {
        const site = sites.get(row.key);
        if (site) site.maintenance = (JSON.parse(row.quiet) as QuietState).window?.name ?? null;
      }
    }
    return {
      sites,
      silences: silencesAt(this.db, now),
      monitorOfflineSince: offline === undefined ? null : Number(offline.value),
      lastSweepAt: lastSweep.at,
      offlinePeriods: periods.map((r) => ({ start: r.started_at, end: r.ended_at })),
      locations: storedLocations(this.db, now),
    };
  }

  /** When the oldest notification still waiting was queued; null when none waits (or no outbox yet). */
  oldestPending(): number | null {
    const row = sql(this.db, "SELECT MIN(created_at) AS at FROM outbox WHERE status = 'pending'").get() as
      | { at: number | null }
      | undefined;
    return row?.at ?? null;
  }

  /** Notifications waiting, per channel that has any. */
  pendingByChannel(): Map<string, number> {
    const rows = sql(
      this.db,
      "SELECT channel, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY channel",
    ).all() as {
      channel: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.channel, r.n]));
  }

  /** The daemon's last write of its lock heartbeat (store/lock.ts, every 10 s); null without a lock row. */
  lastHeartbeat(): number | null {
    const row = sql(this.db, 'SELECT heartbeat_at AS at FROM lock WHERE id = 1').get() as
      | { at: number }
      | undefined;
    return row?.at ?? null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
