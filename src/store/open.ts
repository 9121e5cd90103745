/**
 * Opening the database: recognise the file before writing a byte to it (ours, new, foreign, newer,
 * corrupt), then WAL, durable commits and migrations.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { asStoreError, StoreError } from './errors.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, type Migration, migrate } from './migrations.js';
import { createPrivate, keepSidecarsPrivate, othersCanRead } from './private-file.js';

export type DB = Database.Database;

export interface OpenOptions {
  /** For reports: never create, migrate or write. */
  readonly?: boolean;
  /** Never create: a missing file is US_ERR_DB_MISSING (the `silence` command, which writes beside a daemon). */
  mustExist?: boolean;
  /** False only where nothing must survive a power cut (benchmarks measuring size): no fsync per commit. */
  durable?: boolean;
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's write lock (the report beside a daemon). */
  busyTimeoutMs?: number;
  /** Told when an existing database file can be read by other users (the daemon logs it). */
  onWarning?: (message: string) => void;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** The first bytes of the file; null when there is no file. */
function readHead(file: string): Buffer | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // EACCES, EISDIR (--db pointing at a folder), ...
    throw new StoreError(
      'US_ERR_DB_OPEN',
      file,
      `Cannot open the database ${file}: ${(error as Error).message}.`,
      {
        cause: error,
      },
    );
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const ELSEWHERE = 'Pass another --db file (the default is ./uptime-squirrel.db).';

function foreign(file: string, what: string): StoreError {
  return new StoreError(
    'US_ERR_DB_FOREIGN',
    file,
    `${file} is not an uptime-squirrel database: ${what}. It was left untouched. ${ELSEWHERE}`,
  );
}

/** Decides whether the open file is ours, new, or something else; throws for anything but ours or new. */
function recognise(db: DB, file: string, readonly: boolean): 'ours' | 'new' {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  if (appId === APPLICATION_ID) {
    if (version > LATEST_VERSION) {
      throw new StoreError(
        'US_ERR_DB_NEWER',
        file,
        `${file} was written by a newer uptime-squirrel (database schema version ${version}; this version knows up to ${LATEST_VERSION}). ` +
          `It was left untouched: upgrade uptime-squirrel, or ${ELSEWHERE.toLowerCase()}`,
      );
    }
    if (readonly && version < LATEST_VERSION) {
      throw new StoreError(
        'US_ERR_DB_OLDER',
        file,
        `${file} has an older database schema (version ${version}, now ${LATEST_VERSION}): run \`uptime-squirrel watch --once --db ${file} ...\` once to upgrade it.`,
      );
    }
    return 'ours';
  }
  if (appId === 0 && version === 0 && tables.length === 0) return 'new';
  if (appId !== 0) {
    throw foreign(
      file,
      `an SQLite database of another program (application_id 0x${(appId >>> 0).toString(16)})`,
    );
  }
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
  throw foreign(
    file,
    `an SQLite database of another program (tables: ${shown || 'none'}, user_version ${version})`,
  );
}

/**
 * Opens (or creates) the database and brings its schema up to date.
 * @throws StoreError: US_ERR_DB_MISSING (readonly, no file), US_ERR_DB_FOREIGN, US_ERR_DB_NEWER,
 *   US_ERR_DB_OLDER (readonly), US_ERR_DB_CORRUPT, US_ERR_DB_OPEN
 */
export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  const readonly = opts.readonly === true;
  const head = readHead(file);
  if (head === null && (readonly || opts.mustExist === true)) {
    throw new StoreError(
      'US_ERR_DB_MISSING',
      file,
      `No database at ${file}: run \`uptime-squirrel watch\` first, or pass the --db file it writes.`,
    );
  }
  // An empty file is a valid, empty SQLite database; anything else must carry the SQLite header.
  if (head !== null && head.length > 0 && !head.equals(SQLITE_HEADER)) {
    throw foreign(file, 'it is not an SQLite database at all');
  }
  const connect = (asReadonly: boolean): DB => {
    try {
      return new Database(file, {
        readonly: asReadonly,
        fileMustExist: asReadonly,
        timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      });
    } catch (error) {
      throw new StoreError(
        'US_ERR_DB_OPEN',
        file,
        `Cannot open the database ${file}: ${(error as Error).message}.`,
        {
          cause: error,
        },
      );
    }
  };
  // Recognised through a read-only connection first: closing a read-write one can checkpoint a WAL left
  // beside a file that is not ours (or is newer), writing to it.
  let kind: 'ours' | 'new' = 'new';
  if (head !== null) {
    const probe = connect(true);
    try {
      kind = recognise(probe, file, readonly);
    } catch (error) {
      throw asStoreError(file, error);
    } finally {
      probe.close();
    }
  }
  if (readonly) {
    if (kind === 'new') {
      throw new StoreError(
        'US_ERR_DB_MISSING',
        file,
        `${file} holds no monitoring data yet: run \`uptime-squirrel watch\` first.`,
      );
    }
    return connect(true);
  }
  // The file holds the monitored URLs, incidents and outgoing messages: created for its owner only,
  // whatever the umask, before SQLite opens it (SQLite gives the -wal and -shm files the same mode).
  // An existing file keeps the mode someone gave it, with a warning when others can read it.
  let readableMode: string | null = null;
  if (head === null) createPrivate(file);
  else readableMode = othersCanRead(file);
  if (readableMode !== null) {
    opts.onWarning?.(
      `the database ${file} can be read by other users (mode ${readableMode}): it holds the monitored ` +
        `URLs, incidents and outgoing messages; \`chmod 600 ${file}\` keeps it private`,
    );
  }
  const db = connect(false);
  try {
    // WAL: the report reads while the daemon writes. FULL: a committed sweep survives a power cut too, so
    // an event that may have been notified is never raised again after a reboot.
    db.pragma('journal_mode = WAL');
    db.pragma(opts.durable === false ? 'synchronous = OFF' : 'synchronous = FULL');
    migrate(db, opts.migrations ?? MIGRATIONS);
    if (readableMode === null) keepSidecarsPrivate(file);
    return db;
  } catch (error) {
    db.close();
    throw asStoreError(file, error);
  }
}
