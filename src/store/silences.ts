/**
 * Silences, as `uptime-squirrel silence` writes them and `watch`, `report` and the status page read them.
 * Each write is one short transaction on a connection of its own: no daemon lock is taken, and WAL with a
 * busy timeout lets it go in between two sweeps of a running daemon, which reads them at its next sweep.
 */

import { asStoreError } from './errors.js';
import { type DB, openDatabase } from './open.js';
import { hasQuietColumns } from './quiet-migration.js';
import { sql } from './statements.js';

export interface Silence {
  id: number;
  /** Site names or URLs; null for every site. */
  sites: string[] | null;
  createdAt: number;
  startsAt: number;
  /** When it ends (or ended): ms since the epoch. */
  endsAt: number;
  reason: string | null;
  /** When `silence rm` ended it; null otherwise. */
  removedAt: number | null;
}

interface SilenceRow {
  id: number;
  sites: string | null;
  created_at: number;
  starts_at: number;
  ends_at: number;
  reason: string | null;
  removed_at: number | null;
}

const COLUMNS = 'id, sites, created_at, starts_at, ends_at, reason, removed_at';

function silenceOf(row: SilenceRow): Silence {
  return {
    id: row.id,
    sites: row.sites === null ? null : (JSON.parse(row.sites) as string[]),
    createdAt: row.created_at,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    reason: row.reason,
    removedAt: row.removed_at,
  };
}

/** The silences not yet over at `now` (in force, or starting later), oldest first; none on an older file. */
export function silencesAt(db: DB, now: number): Silence[] {
  if (!hasQuietColumns(db)) return [];
  const rows = sql(db, `SELECT ${COLUMNS} FROM silences WHERE ends_at > ? ORDER BY id`).all(
    now,
  ) as SilenceRow[];
  return rows.map(silenceOf);
}

/** The sites the database knows: names and URLs, to check what a silence names. */
function knownSites(db: DB): { name: string | null; url: string }[] {
  return sql(db, 'SELECT name, url FROM sites ORDER BY id').all() as { name: string | null; url: string }[];
}

export interface NewSilence {
  sites: string[] | null;
  startsAt: number;
  endsAt: number;
  reason: string | null;
}

/** The silences table of a daemon's database, for the `silence` command: opened without the daemon lock. */
export class SilenceStore {
  private constructor(
    readonly file: string,
    private readonly db: DB,
  ) {}

  /** Opens (migrating, never creating) the database. @throws StoreError, US_ERR_DB_MISSING when there is none */
  static open(file: string): SilenceStore {
    return new SilenceStore(file, openDatabase(file, { mustExist: true }));
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw asStoreError(this.file, error);
    }
  }

  sites(): { name: string | null; url: string }[] {
    return this.guard(() => knownSites(this.db));
  }

  add(silence: NewSilence, now: number): Silence {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const id = Number(
            sql(
              this.db,
              'INSERT INTO silences (sites, created_at, starts_at, ends_at, reason) VALUES (?, ?, ?, ?, ?)',
            ).run(
              silence.sites === null ? null : JSON.stringify(silence.sites),
              now,
              silence.startsAt,
              silence.endsAt,
              silence.reason,
            ).lastInsertRowid,
          );
          return silenceOf(
            sql(this.db, `SELECT ${COLUMNS} FROM silences WHERE id = ?`).get(id) as SilenceRow,
          );
        })
        .immediate(),
    );
  }

  list(now: number): Silence[] {
    return this.guard(() => silencesAt(this.db, now));
  }

  /** Ends a silence now; false when there is none by that id still going on. */
  remove(id: number, now: number): boolean {
    return this.guard(
      () =>
        sql(this.db, 'UPDATE silences SET ends_at = ?, removed_at = ? WHERE id = ? AND ends_at > ?').run(
          now,
          now,
          id,
          now,
        ).changes > 0,
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
