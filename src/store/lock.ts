/**
 * One daemon per database: a lock row holding the owner's pid, host and a heartbeat, taken in an
 * IMMEDIATE transaction so two daemons starting together cannot both win. A lock left by a process
 * that died (SIGKILL, power cut) is taken over: its pid is gone, or its heartbeat stopped.
 */

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { StoreError } from './errors.js';
import type { DB } from './open.js';
import { sql } from './statements.js';

export interface LockOptions {
  pid?: number;
  host?: string;
  clock?: () => number;
  /** Whether a process with this pid runs on this host. */
  isAlive?: (pid: number) => boolean;
  /**
   * A heartbeat older than this means the owner is gone even if a process has its pid (pids are reused,
   * and another host's pids cannot be checked). Several heartbeat intervals, so a busy daemon keeps it.
   */
  staleAfterMs?: number;
}

export const HEARTBEAT_INTERVAL_MS = 10_000;
const STALE_AFTER_MS = 6 * HEARTBEAT_INTERVAL_MS;

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DaemonLock {
  private released = false;

  constructor(
    private readonly db: DB,
    private readonly file: string,
    private readonly token: string,
    private readonly clock: () => number,
  ) {}

  /** Proves the daemon is alive. @throws StoreError US_ERR_DB_LOCK_LOST when another daemon took the lock */
  heartbeat(): void {
    const changed = sql(this.db, 'UPDATE lock SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(
      this.clock(),
      this.token,
    ).changes;
    if (changed === 0) {
      throw new StoreError(
        'US_ERR_DB_LOCK_LOST',
        this.file,
        `Another process took over the lock on ${this.file} (this daemon's heartbeat had stopped): stopping so that only one daemon writes to it.`,
      );
    }
  }

  /** Gives the lock up; a lock already taken over by another daemon is left to it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    sql(this.db, 'DELETE FROM lock WHERE id = 1 AND token = ?').run(this.token);
  }
}

export function readLock(db: DB): LockHolder | null {
  const row = sql(
    db,
    'SELECT pid, host, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM lock WHERE id = 1',
  ).get() as LockHolder | undefined;
  return row ?? null;
}

/**
 * Takes the lock or explains who has it.
 * @throws StoreError US_ERR_DB_LOCKED when a live daemon holds it
 */
export function acquireLock(db: DB, file: string, opts: LockOptions = {}): DaemonLock {
  const pid = opts.pid ?? process.pid;
  const host = opts.host ?? hostname();
  const clock = opts.clock ?? Date.now;
  const isAlive = opts.isAlive ?? processIsAlive;
  const staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  const token = randomUUID();
  db.transaction(() => {
    const holder = readLock(db);
    const now = clock();
    if (holder !== null) {
      const fresh = now - holder.heartbeatAt < staleAfterMs;
      // Our own pid on our host is a previous life of this process (a container restarted as pid 1).
      const alive = holder.host === host ? holder.pid !== pid && isAlive(holder.pid) : true;
      if (fresh && alive) {
        const since = new Date(holder.startedAt).toISOString();
        throw new StoreError(
          'US_ERR_DB_LOCKED',
          file,
          `Another uptime-squirrel watch is using ${file} (pid ${holder.pid} on ${holder.host}, running since ${since}). ` +
            'Stop it first, or pass another --db file. Only one daemon may write to a database.',
        );
      }
    }
    sql(
      db,
      'INSERT OR REPLACE INTO lock (id, pid, host, token, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)',
    ).run(pid, host, token, now, now);
  }).immediate();
  return new DaemonLock(db, file, token, clock);
}
