import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, processIsAlive, readLock } from '../../src/store/lock.js';
import { type DB, openDatabase } from '../../src/store/open.js';
import { tempDir } from '../helpers/processes.js';

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;
let db: DB;
let now: number;
const clock = () => now;
const alive = () => true;
const dead = () => false;

beforeEach(async () => {
  dir = await tempDir();
  file = join(dir.path, 'lock.db');
  db = openDatabase(file);
  now = Date.parse('2030-01-01T00:00:00Z');
});
afterEach(async () => {
  db.close();
  await dir.cleanup();
});

describe('the daemon lock', () => {
  it('refuses a second daemon while the first lives, naming pid, host, start and file', () => {
    acquireLock(db, file, { pid: 100, host: 'box', clock, isAlive: alive });
    now += 5_000;
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: alive })).toThrow(
      expect.objectContaining({
        code: 'US_ERR_DB_LOCKED',
        message: `Another uptime-squirrel watch is using ${file} (pid 100 on box, running since 2030-01-01T00:00:00.000Z). Stop it first, or pass another --db file. Only one daemon may write to a database.`,
      }),
    );
    expect(readLock(db)).toMatchObject({ pid: 100, host: 'box' });
  });

  it('takes over the lock of a process that died (SIGKILL)', () => {
    acquireLock(db, file, { pid: 100, host: 'box', clock });
    const lock = acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: dead });
    expect(readLock(db)).toMatchObject({ pid: 200 });
    lock.release();
    expect(readLock(db)).toBeNull();
  });

  it('takes over a lock left under its own pid (a container restarted as pid 1)', () => {
    acquireLock(db, file, { pid: 1, host: 'box', clock });
    expect(() => acquireLock(db, file, { pid: 1, host: 'box', clock, isAlive: alive })).not.toThrow();
  });

  it('takes over when the heartbeat stopped, even if the pid was reused by another process', () => {
    acquireLock(db, file, { pid: 100, host: 'box', clock });
    now += 61_000;
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: alive })).not.toThrow();
  });

  it('trusts only the heartbeat for a lock held on another host', () => {
    acquireLock(db, file, { pid: 100, host: 'other', clock });
    now += 30_000;
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: dead })).toThrow(
      /pid 100 on other/,
    );
    now += 31_000;
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: dead })).not.toThrow();
  });

  it('a heartbeat keeps the lock fresh', () => {
    const lock = acquireLock(db, file, { pid: 100, host: 'box', clock });
    for (let i = 0; i < 10; i++) {
      now += 30_000;
      lock.heartbeat();
    }
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: alive })).toThrow(/pid 100/);
  });

  it('after a takeover, the old owner learns it lost the lock and cannot release the new one', () => {
    const old = acquireLock(db, file, { pid: 100, host: 'box', clock });
    acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: dead });
    expect(() => old.heartbeat()).toThrow(expect.objectContaining({ code: 'US_ERR_DB_LOCK_LOST' }));
    old.release();
    expect(readLock(db)).toMatchObject({ pid: 200 });
  });

  it('is free again after release', () => {
    acquireLock(db, file, { pid: 100, host: 'box', clock }).release();
    expect(() => acquireLock(db, file, { pid: 200, host: 'box', clock, isAlive: alive })).not.toThrow();
  });

  it('processIsAlive knows this process and a pid that cannot exist', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 22 + 1)).toBe(false);
  });
});
