import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open.js';
import { tempDir } from '../helpers/processes.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Expects opening `file` to fail with `code`, mentioning the file, and to leave its bytes as they were. */
function refuses(file: string, code: string, message: RegExp): StoreError {
  const before = digest(file);
  let caught: unknown;
  try {
    openDatabase(file).close();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  const error = caught as StoreError;
  expect(error.code).toBe(code);
  expect(error.message).toContain(file);
  expect(error.message).toMatch(message);
  expect(digest(file)).toBe(before);
  // A WAL-mode file read by SQLite may get an empty -wal beside it; nothing is ever written into one.
  if (existsSync(`${file}-wal`)) expect(statSync(`${file}-wal`).size).toBe(0);
  return error;
}

describe('a new database', () => {
  it('is created with our application id, the latest schema version, WAL and the meta facts', () => {
    const file = join(dir.path, 'new.db');
    const db = openDatabase(file);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'app'").pluck().get()).toBe('uptime-squirrel');
    db.close();
  });

  it('is reopened as it is, without migrating again', () => {
    const file = join(dir.path, 'again.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare("SELECT value FROM meta WHERE key = 'probe'").pluck().get()).toBe('kept');
    second.close();
  });

  it('may be an empty file (touch uptime-squirrel.db)', () => {
    const file = join(dir.path, 'empty.db');
    writeFileSync(file, '');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('that is a folder is a clear error', () => {
    expect(() => openDatabase(dir.path)).toThrow(
      expect.objectContaining({ code: 'US_ERR_DB_OPEN', message: expect.stringContaining('EISDIR') }),
    );
  });

  it('in a folder that does not exist is a clear error', () => {
    const file = join(dir.path, 'missing', 'x.db');
    expect(() => openDatabase(file)).toThrow(
      expect.objectContaining({ code: 'US_ERR_DB_OPEN', message: expect.stringContaining(file) }),
    );
  });
});

describe('file modes', () => {
  const mode = (file: string) => statSync(file).mode & 0o777;

  /** Runs `fn` under `umask`, as a daemon started from a careless shell would. */
  function withUmask<T>(umask: number, fn: () => T): T {
    const before = process.umask(umask);
    try {
      return fn();
    } finally {
      process.umask(before);
    }
  }

  it('a new database and its -wal and -shm are for the owner only (0600), whatever the umask', () => {
    for (const umask of [0o000, 0o022]) {
      const file = join(dir.path, `private-${umask}.db`);
      const warnings: string[] = [];
      const db = withUmask(umask, () => openDatabase(file, { onWarning: (m) => warnings.push(m) }));
      try {
        expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
        expect(warnings).toEqual([]);
      } finally {
        db.close();
      }
    }
  });

  it('an existing database keeps its mode, with a warning when others can read it', () => {
    const file = join(dir.path, 'shared.db');
    openDatabase(file).close();
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    const db = openDatabase(file, { onWarning: (m) => warnings.push(m) });
    db.close();
    expect(mode(file)).toBe(0o644);
    expect(warnings).toEqual([
      `the database ${file} can be read by other users (mode 0644): it holds the monitored URLs, incidents and outgoing messages; \`chmod 600 ${file}\` keeps it private`,
    ]);
    // A report only reads: no warning there.
    const reader = openDatabase(file, { readonly: true, onWarning: (m) => warnings.push(m) });
    reader.close();
    expect(warnings).toHaveLength(1);
  });

  it('a -wal or -shm that others can read beside a private database is narrowed to 0600', () => {
    const file = join(dir.path, 'sidecars.db');
    const first = openDatabase(file);
    try {
      chmodSync(`${file}-wal`, 0o644);
      chmodSync(`${file}-shm`, 0o666);
      openDatabase(file).close();
      expect([mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600]);
    } finally {
      first.close();
    }
  });
});

describe('migrations', () => {
  const next = LATEST_VERSION + 1;
  const v2: Migration = {
    version: next,
    description: 'test: a column',
    up: (db) => db.exec('ALTER TABLE sites ADD COLUMN note TEXT'),
  };

  it('upgrade an older file in order, each once', () => {
    const file = join(dir.path, 'old.db');
    openDatabase(file).close();
    const db = openDatabase(file, { migrations: [...MIGRATIONS, v2] });
    expect(db.pragma('user_version', { simple: true })).toBe(next);
    expect(db.prepare('SELECT note FROM sites').all()).toEqual([]);
    db.close();
    // The test's version is now "newer" than this build knows.
    refuses(
      file,
      'US_ERR_DB_NEWER',
      new RegExp(
        `newer uptime-squirrel \\(database schema version ${next}; this version knows up to ${LATEST_VERSION}\\)`,
      ),
    );
  });

  it('roll back a migration that fails, leaving the file at the version before it', () => {
    const file = join(dir.path, 'failing.db');
    openDatabase(file).close();
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      description: 'test: fails halfway',
      up: (db) => {
        db.exec('CREATE TABLE half (x)');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS, broken] })).toThrow();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('stamp the application id in the same transaction as the first migration', () => {
    const file = join(dir.path, 'first-fails.db');
    const broken: Migration = {
      version: 1,
      description: 'fails',
      up: () => {
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [broken] })).toThrow('boom');
    // Still a blank file, not a half-made one of ours: the next open creates it properly.
    const db = openDatabase(file);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });
});

describe('files that are not ours, or not usable', () => {
  it('a text file: foreign, not SQLite at all', () => {
    const file = join(dir.path, 'notes.db');
    writeFileSync(file, 'these are my notes, please do not overwrite them\n'.repeat(100));
    refuses(
      file,
      'US_ERR_DB_FOREIGN',
      /not an uptime-squirrel database: it is not an SQLite database at all/,
    );
  });

  it("another program's SQLite database: foreign, naming its tables", () => {
    const file = join(dir.path, 'other.db');
    const other = new Database(file);
    other.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')",
    );
    other.close();
    refuses(
      file,
      'US_ERR_DB_FOREIGN',
      /another program \(tables: customers, user_version 0\).*untouched.*--db/,
    );
  });

  it("another program's database left with a WAL by a crash: neither file is written to", () => {
    const live = join(dir.path, 'live.db');
    const other = new Database(live);
    other.pragma('journal_mode = WAL');
    other.pragma('wal_autocheckpoint = 0');
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('unsaved in the WAL')");
    // A copy taken while the program runs: the WAL holds committed pages not yet in the main file.
    const file = join(dir.path, 'crashed.db');
    writeFileSync(file, readFileSync(live));
    writeFileSync(`${file}-wal`, readFileSync(`${live}-wal`));
    other.close();
    const wal = digest(`${file}-wal`);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'US_ERR_DB_FOREIGN' }));
    expect(digest(file)).toBe(before);
    expect(digest(`${file}-wal`)).toBe(wal);
  });

  it('a database with another application id: foreign', () => {
    const file = join(dir.path, 'app.db');
    const other = new Database(file);
    other.pragma('application_id = 1234');
    other.exec('CREATE TABLE t (x)');
    other.close();
    refuses(file, 'US_ERR_DB_FOREIGN', /application_id 0x4d2/);
  });

  it('a database from a newer uptime-squirrel: newer, upgrade advised', () => {
    const file = join(dir.path, 'newer.db');
    openDatabase(file).close();
    const db = new Database(file);
    // One past the newest this version knows, whatever that is.
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    refuses(
      file,
      'US_ERR_DB_NEWER',
      new RegExp(
        `schema version ${LATEST_VERSION + 1}; this version knows up to ${LATEST_VERSION}\\).*upgrade uptime-squirrel`,
      ),
    );
  });

  it('a corrupt database: corrupt, with what to do', () => {
    const file = join(dir.path, 'corrupt.db');
    const db = openDatabase(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(file);
    // Garbage over the schema table's page header (page 1 starts its b-tree at offset 100).
    bytes.fill(0xee, 100, 400);
    writeFileSync(file, bytes);
    refuses(file, 'US_ERR_DB_CORRUPT', /is corrupt .*Nothing was written to it.*\.recover/);
  });

  it('read-only (report) with no file: missing, nothing created', () => {
    const file = join(dir.path, 'none.db');
    expect(() => openDatabase(file, { readonly: true })).toThrow(
      expect.objectContaining({
        code: 'US_ERR_DB_MISSING',
        message: expect.stringMatching(/No database at .*none\.db: run `uptime-squirrel watch` first/),
      }),
    );
    expect(existsSync(file)).toBe(false);
  });
});
