/**
 * The daemon's view of the database: site states in, one transaction per sweep out. Everything a sweep
 * changes (its results, the sites' states, incidents, events, the monitor's state) is written by
 * commitSweep at once, so a crash leaves either all of it or none of it: a restart then neither repeats
 * an event nor misses a recovery. The notification outbox shares the connection (`outbox`), so that
 * its rows and cursor commit beside the events they come from.
 */

import type { WatchEvent } from '../core/events.js';
import type {
  Cause,
  CertRecord,
  MonitorState,
  QuietState,
  SiteState,
  SiteStatus,
  Slowness,
} from '../core/state.js';
import { type CommittedSweep, type SweepCommit, writeSweep } from './commit.js';
import { asStoreError } from './errors.js';
import { eventsAfter } from './events.js';
import { acquireLock, type DaemonLock, type LockOptions } from './lock.js';
import { type DB, type OpenOptions, openDatabase } from './open.js';
import { OutboxTable } from './outbox.js';
import { hasQuietColumns } from './quiet-migration.js';
import { type RetentionOptions, type RetentionReport, rollupAndPrune } from './retention.js';
import { type Silence, silencesAt } from './silences.js';
import { hasSiteWatchColumns } from './site-watch-migration.js';
import { sql } from './statements.js';

export type { CommittedSweep, ResultRow, SweepCommit, SweepEntry } from './commit.js';

interface SiteRow {
  id: number;
  key: string;
  status: SiteStatus;
  since: number | null;
  failures: number;
  successes: number;
  streak_start: number | null;
  last_alert_at: number | null;
  cause: string | null;
  incident_id: number | null;
  /** Absent on a file older than schema 5. */
  slowness?: string | null;
  certs?: string | null;
  /** Absent on a file older than schema 6. */
  quiet?: string | null;
}

function stateOf(row: SiteRow): SiteState {
  return {
    status: row.status,
    since: row.since,
    failures: row.failures,
    successes: row.successes,
    streakStart: row.streak_start,
    lastAlertAt: row.last_alert_at,
    cause: row.cause === null ? null : (JSON.parse(row.cause) as Cause),
    // Only when there is something: a site that is never slow nor https reads back as it always did.
    ...(row.slowness ? { slowness: JSON.parse(row.slowness) as Slowness } : {}),
    ...(row.certs ? { certs: JSON.parse(row.certs) as CertRecord[] } : {}),
    ...(row.quiet ? { quiet: JSON.parse(row.quiet) as QuietState } : {}),
  };
}

export class WatchStore {
  /** The notification outbox, on this connection. */
  readonly outbox: OutboxTable;

  private constructor(
    readonly file: string,
    readonly db: DB,
  ) {
    this.outbox = new OutboxTable(db);
  }

  /** Opens (creating or migrating) the database. @throws StoreError */
  static open(file: string, opts: OpenOptions = {}): WatchStore {
    return new WatchStore(file, openDatabase(file, opts));
  }

  /** Runs `fn`, turning SQLite failures into StoreErrors that name the file. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw asStoreError(this.file, error);
    }
  }

  /** @throws StoreError US_ERR_DB_LOCKED when another live daemon uses this database */
  lock(opts: LockOptions = {}): DaemonLock {
    return this.guard(() => acquireLock(this.db, this.file, opts));
  }

  /** The stored states of the sites with these keys (a batch's), or of every site without them. */
  siteStates(keys?: readonly string[]): Map<string, SiteState> {
    return this.guard(() => {
      const columns = `id, key, status, since, failures, successes, streak_start, last_alert_at, cause, incident_id${
        hasSiteWatchColumns(this.db) ? ', slowness, certs' : ''
      }${hasQuietColumns(this.db) ? ', quiet' : ''}`;
      // A batch of a hundred among 20,000 sites reads a hundred rows, not the whole table, every second.
      const rows = (
        keys === undefined
          ? sql(this.db, `SELECT ${columns} FROM sites`).all()
          : sql(this.db, `SELECT ${columns} FROM sites WHERE key IN (SELECT value FROM json_each(?))`).all(
              JSON.stringify(keys),
            )
      ) as SiteRow[];
      return new Map(rows.map((row) => [row.key, stateOf(row)]));
    });
  }

  /** The silences not over at `now`: read at every sweep, so one added meanwhile counts from the next. */
  silences(now: number): Silence[] {
    return this.guard(() => silencesAt(this.db, now));
  }

  monitorState(): MonitorState {
    return this.guard(() => {
      const value = sql(this.db, "SELECT value FROM meta WHERE key = 'monitor_offline_since'")
        .pluck()
        .get() as string | undefined;
      return { offlineSince: value === undefined ? null : Number(value) };
    });
  }

  /** Writes a whole sweep in one transaction and returns the events it raised, with their ids. */
  commitSweep(commit: SweepCommit): CommittedSweep {
    return this.guard(() => this.db.transaction(() => writeSweep(this.db, commit)).immediate());
  }

  /** Events in id order, after `afterId`: for tests, tools and the notification outbox. */
  events(afterId = 0, limit = 10_000): WatchEvent[] {
    return this.guard(() => eventsAfter(this.db, afterId, limit));
  }

  /** Rolls old raw results up into hourly rows and deletes what is past retention. */
  retain(now: number, opts: RetentionOptions): RetentionReport {
    return this.guard(() => rollupAndPrune(this.db, now, opts));
  }

  /** Rows of a table: for the benchmarks' bytes per row. */
  rows(table: 'results' | 'rollups' | 'sweeps' | 'events' | 'outbox'): number {
    return this.guard(() => sql(this.db, `SELECT COUNT(*) FROM ${table}`).pluck().get() as number);
  }

  /** Bytes of one table's or index's b-tree (SQLite's dbstat): for the benchmarks' bytes per row. */
  bytes(name: string): number {
    return this.guard(
      () =>
        (sql(this.db, 'SELECT SUM(pgsize) FROM dbstat WHERE name = ?').pluck().get(name) as number | null) ??
        0,
    );
  }

  /** Moves the WAL into the main file; used before measuring the file or on shutdown. */
  checkpoint(): void {
    this.guard(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
