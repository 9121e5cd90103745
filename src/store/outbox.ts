/**
 * The notification outbox's table: messages waiting for delivery, in the daemon's SQLite database. The
 * delivery loops in notify/ work against this class through notify/outbox.ts's interface and never see
 * the database handle.
 *
 * The events table is the journal; the outbox is derived from it under a cursor (outbox-enqueue.ts):
 * nothing is lost between the sweep's commit and the outbox's.
 *
 * Rows hold a channel's NAME and the events' data (site names, redacted URLs, causes): never a URL,
 * password or token of a channel. One row per (channel, sweep), or per (channel, event) for channels that
 * take one event per site (incident tools), unique, so enqueueing twice is harmless. A row may wait for a
 * time (`not_before`: the end of the channel's quiet hours); until then it is not due, but it is kept.
 *
 * Delivery, per row: `markSending` (committed) -> send -> `markDelivered` / `markFailed` / `markRetry`.
 * A crash after the server accepted and before `markDelivered` committed leaves the row pending with
 * `sending = 1`: it is sent again at the next start (at least once, never lost), and that message says it
 * may repeat an earlier one.
 */

import type { WatchEvent } from '../core/events.js';
import type { DB } from './open.js';
import { type Enqueued, enqueueEvents, outboxCursor, type RouteTarget } from './outbox-enqueue.js';
import { sql } from './statements.js';

export type { Enqueued, EventsPayload, RouteTarget } from './outbox-enqueue.js';

export type OutboxKind = 'events' | 'summary';
export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'dropped';

export interface OutboxRow {
  id: number;
  channel: string;
  kind: OutboxKind;
  /** `sweep:<id>`, `sweep:<id>:held`, `event:<id>` or `summary:<time>`: unique per channel. */
  ref: string;
  createdAt: number;
  expiresAt: number;
  payload: string;
  attempts: number;
  /** A send had started and its outcome was never recorded: the process died during it. */
  sending: boolean;
  /** Held back until then (quiet hours); null when due at once. */
  notBefore: number | null;
  /** The site key of a per-site row; null for a sweep's row, the monitor's and summaries. */
  site: string | null;
}

/** Rows `expire` dropped, per channel: for the log line that says what was never sent. */
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

export class OutboxTable {
  constructor(private readonly db: DB) {}

  cursor(): number {
    return outboxCursor(this.db);
  }

  /**
   * Turns the events after the cursor into rows, one per channel and sweep, and moves the cursor, in one
   * transaction per batch. `route` names the channels an event goes to.
   */
  enqueueEvents(
    route: (event: WatchEvent) => readonly (string | RouteTarget)[],
    now: number,
    expireAfterMs: number,
  ): Enqueued {
    return enqueueEvents(this.db, route, now, expireAfterMs);
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

  /** The oldest pending rows of a channel; with `now`, only those due by then (not held any longer). */
  pending(channel: string, limit: number, now?: number): OutboxRow[] {
    const columns =
      'id, channel, kind, ref, created_at, expires_at, payload, attempts, sending, not_before, site';
    const rows = (
      now === undefined
        ? sql(
            this.db,
            `SELECT ${columns} FROM outbox WHERE status = 'pending' AND channel = ? ORDER BY id LIMIT ?`,
          ).all(channel, limit)
        : sql(
            this.db,
            `SELECT ${columns} FROM outbox WHERE status = 'pending' AND channel = ?
               AND (not_before IS NULL OR not_before <= ?) ORDER BY id LIMIT ?`,
          ).all(channel, now, limit)
    ) as {
      id: number;
      channel: string;
      kind: OutboxKind;
      ref: string;
      created_at: number;
      expires_at: number;
      payload: string;
      attempts: number;
      sending: number;
      not_before: number | null;
      site: string | null;
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
      notBefore: r.not_before,
      site: r.site,
    }));
  }

  /** When the earliest row of a channel held past `now` becomes due; null when none is held. */
  nextDue(channel: string, now: number): number | null {
    return (
      (sql(
        this.db,
        "SELECT MIN(not_before) FROM outbox WHERE status = 'pending' AND channel = ? AND not_before > ?",
      )
        .pluck()
        .get(channel, now) as number | null) ?? null
    );
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
