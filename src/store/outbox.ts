/**
 * The notification outbox's table: messages waiting for delivery, in the daemon's SQLite database. The
 * delivery loops in notify/ work against this class through notify/outbox.ts's interface and never see
 * the database handle.
 *
 * The events table is the journal; the outbox is derived from it under a cursor (`meta.outbox_cursor`,
 * the last event id turned into rows) that moves in the same transaction as the rows it covers. So
 * whatever instant the process dies at, an event is either in the outbox or after the cursor, and the
 * next start (or sweep) enqueues it: nothing is lost between the sweep's commit and the outbox's.
 *
 * Rows hold a channel's NAME and the events' data (site names, redacted URLs, causes): never a URL,
 * password or token of a channel. One row per (channel, sweep), unique, so enqueueing twice is harmless.
 *
 * Delivery, per row: `markSending` (committed) -> send -> `markDelivered` / `markFailed` / `markRetry`.
 * A crash after the server accepted and before `markDelivered` committed leaves the row pending with
 * `sending = 1`: it is sent again at the next start (at least once, never lost), and that message says it
 * may repeat an earlier one.
 */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import { eventsAfter } from './events.js';
import type { DB } from './open.js';
import { sql } from './statements.js';

export type OutboxKind = 'events' | 'summary';
export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'dropped';

export interface OutboxRow {
  id: number;
  channel: string;
  kind: OutboxKind;
  /** `sweep:<id>` or `summary:<time>`: unique per channel. */
  ref: string;
  createdAt: number;
  expiresAt: number;
  payload: string;
  attempts: number;
  /** A send had started and its outcome was never recorded: the process died during it. */
  sending: boolean;
}

/** The payload of an `events` row. */
export interface EventsPayload {
  sweep: SweepSummary;
  events: WatchEvent[];
}

export interface Enqueued {
  /** Rows written, per channel. */
  perChannel: Map<string, number>;
  /** Events looked at (after the cursor). */
  events: number;
  /** Sweeps whose events were already past expiry (a daemon stopped for longer than that). */
  stale: number[];
}

export interface DroppedRows {
  channel: string;
  ids: number[];
  refs: string[];
  oldest: number;
}

export interface OutboxCount {
  channel: string;
  status: OutboxStatus;
  rows: number;
}

interface SweepRow {
  id: number;
  started_at: number;
  finished_at: number;
  sites: number;
  checked: number;
  up: number;
  down: number;
  outcome: 'ok' | 'monitor-offline';
  aborted: number;
  skipped_ticks: number;
}

const CURSOR = 'outbox_cursor';
/** Events turned into rows per transaction: a bound on how long one enqueue holds the write lock. */
const EVENTS_PER_BATCH = 20_000;

function summaryOf(row: SweepRow): SweepSummary {
  return {
    id: row.id,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: new Date(row.finished_at).toISOString(),
    sites: row.sites,
    checked: row.checked,
    up: row.up,
    down: row.down,
    outcome: row.outcome,
    aborted: row.aborted === 1,
    skippedTicks: row.skipped_ticks,
  };
}

/** A sweep retention already deleted: its events still say when they were raised. */
function missingSweep(id: number, finishedAt: number): SweepSummary {
  const at = new Date(finishedAt).toISOString();
  return {
    id,
    startedAt: at,
    finishedAt: at,
    sites: 0,
    checked: 0,
    up: 0,
    down: 0,
    outcome: 'ok',
    aborted: false,
    skippedTicks: 0,
  };
}

/** Items by key, in the order first seen; an item with several keys is in each of their lists. */
function groupBy<T, K>(items: Iterable<T>, keysOf: (item: T) => Iterable<K>): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const list = groups.get(key) ?? [];
      list.push(item);
      groups.set(key, list);
    }
  }
  return groups;
}

export class OutboxTable {
  constructor(private readonly db: DB) {}

  cursor(): number {
    const value = sql(this.db, 'SELECT value FROM meta WHERE key = ?').pluck().get(CURSOR) as
      | string
      | undefined;
    return value === undefined ? 0 : Number(value);
  }

  /**
   * Turns the events after the cursor into rows, one per channel and sweep, and moves the cursor, in one
   * transaction per batch. `route` names the channels an event goes to.
   */
  enqueueEvents(
    route: (event: WatchEvent) => readonly string[],
    now: number,
    expireAfterMs: number,
  ): Enqueued {
    const result: Enqueued = { perChannel: new Map(), events: 0, stale: [] };
    const selectSweep = sql(
      this.db,
      'SELECT id, started_at, finished_at, sites, checked, up, down, outcome, aborted, skipped_ticks FROM sweeps WHERE id = ?',
    );
    const insert = sql(
      this.db,
      `INSERT OR IGNORE INTO outbox (channel, kind, ref, created_at, expires_at, payload)
       VALUES (?, 'events', ?, ?, ?, ?)`,
    );
    const setCursor = sql(this.db, 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    for (;;) {
      const more = this.db
        .transaction((): boolean => {
          const events = eventsAfter(this.db, this.cursor(), EVENTS_PER_BATCH);
          if (events.length === 0) return false;
          for (const [sweepId, ofSweep] of groupBy(events, (e) => [e.sweepId])) {
            const sweepRow = selectSweep.get(sweepId) as SweepRow | undefined;
            const raisedAt = Date.parse(ofSweep[0]?.at ?? '');
            const finishedAt = sweepRow?.finished_at ?? (Number.isNaN(raisedAt) ? now : raisedAt);
            const expiresAt = finishedAt + expireAfterMs;
            if (expiresAt <= now) {
              result.stale.push(sweepId);
              continue;
            }
            const sweep = sweepRow ? summaryOf(sweepRow) : missingSweep(sweepId, finishedAt);
            for (const [channel, list] of groupBy(ofSweep, route)) {
              const payload: EventsPayload = { sweep, events: list };
              const changes = insert.run(
                channel,
                `sweep:${sweepId}`,
                now,
                expiresAt,
                JSON.stringify(payload),
              ).changes;
              if (changes > 0) result.perChannel.set(channel, (result.perChannel.get(channel) ?? 0) + 1);
            }
          }
          result.events += events.length;
          setCursor.run(CURSOR, String(events.at(-1)?.id ?? this.cursor()));
          return events.length === EVENTS_PER_BATCH;
        })
        .immediate();
      if (!more) return result;
    }
  }

  /** One row per channel for a scheduled summary; `ref` makes a repeated tick harmless. */
  enqueue(
    kind: OutboxKind,
    channels: readonly string[],
    ref: string,
    payload: string,
    now: number,
    expireAfterMs: number,
  ): void {
    const insert = sql(
      this.db,
      `INSERT OR IGNORE INTO outbox (channel, kind, ref, created_at, expires_at, payload) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.db
      .transaction(() => {
        for (const channel of channels) insert.run(channel, kind, ref, now, now + expireAfterMs, payload);
      })
      .immediate();
  }

  /** The oldest pending rows of a channel. */
  pending(channel: string, limit: number): OutboxRow[] {
    const rows = sql(
      this.db,
      `SELECT id, channel, kind, ref, created_at, expires_at, payload, attempts, sending FROM outbox
         WHERE status = 'pending' AND channel = ? ORDER BY id LIMIT ?`,
    ).all(channel, limit) as {
      id: number;
      channel: string;
      kind: OutboxKind;
      ref: string;
      created_at: number;
      expires_at: number;
      payload: string;
      attempts: number;
      sending: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      kind: r.kind,
      ref: r.ref,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      payload: r.payload,
      attempts: r.attempts,
      sending: r.sending === 1,
    }));
  }

  /** Channels with pending rows, whether or not they are still configured. */
  pendingChannels(): string[] {
    return sql(this.db, "SELECT DISTINCT channel FROM outbox WHERE status = 'pending' ORDER BY channel")
      .pluck()
      .all() as string[];
  }

  private update(set: string, ids: readonly number[], ...values: unknown[]): void {
    const statement = sql(this.db, `UPDATE outbox SET ${set} WHERE id = ? AND status = 'pending'`);
    this.db
      .transaction(() => {
        for (const id of ids) statement.run(...values, id);
      })
      .immediate();
  }

  /** Committed before the send: a row found still `sending` after a restart may have been delivered. */
  markSending(ids: readonly number[], now: number): void {
    this.update('sending = 1, attempts = attempts + 1, last_attempt_at = ?', ids, now);
  }

  markDelivered(ids: readonly number[], now: number, answer: string): void {
    this.update(
      "status = 'delivered', sending = 0, done_at = ?, last_error = NULL, answer = ?",
      ids,
      now,
      answer,
    );
  }

  /** Permanent failure: not retried. */
  markFailed(ids: readonly number[], now: number, error: string): void {
    this.update("status = 'failed', sending = 0, done_at = ?, last_error = ?", ids, now, error);
  }

  /**
   * Transient failure: stays pending. `uncertain` (a timeout: the server may have taken the message
   * before it stopped answering) keeps `sending`, so the retry says it may repeat.
   */
  markRetry(ids: readonly number[], error: string, uncertain = false): void {
    this.update('sending = ?, last_error = ?', ids, uncertain ? 1 : 0, error);
  }

  /** Pending rows past their expiry become `dropped`; returned per channel for the log. */
  expire(now: number, channel?: string): DroppedRows[] {
    return this.db
      .transaction(() => {
        const rows = sql(
          this.db,
          `SELECT id, channel, ref, created_at FROM outbox WHERE status = 'pending' AND expires_at <= ?
             ${channel === undefined ? '' : 'AND channel = ?'} ORDER BY id`,
        ).all(...(channel === undefined ? [now] : [now, channel])) as {
          id: number;
          channel: string;
          ref: string;
          created_at: number;
        }[];
        const drop = sql(
          this.db,
          "UPDATE outbox SET status = 'dropped', sending = 0, done_at = ? WHERE id = ?",
        );
        const byChannel = new Map<string, DroppedRows>();
        for (const row of rows) {
          drop.run(now, row.id);
          const entry = byChannel.get(row.channel) ?? {
            channel: row.channel,
            ids: [],
            refs: [],
            oldest: row.created_at,
          };
          entry.ids.push(row.id);
          entry.refs.push(row.ref);
          entry.oldest = Math.min(entry.oldest, row.created_at);
          byChannel.set(row.channel, entry);
        }
        return [...byChannel.values()];
      })
      .immediate();
  }

  /** Deletes rows done with (delivered, failed, dropped) before `before`. */
  prune(before: number): number {
    return sql(this.db, "DELETE FROM outbox WHERE status <> 'pending' AND done_at < ?").run(before).changes;
  }

  /** Rows by channel and status: for tests and `report`-like tools. */
  counts(): OutboxCount[] {
    return sql(
      this.db,
      'SELECT channel, status, COUNT(*) AS rows FROM outbox GROUP BY channel, status ORDER BY channel, status',
    ).all() as OutboxCount[];
  }
}
