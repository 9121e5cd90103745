/**
 * From the events journal to outbox rows: the events after the cursor (`meta.outbox_cursor`, the last
 * event id turned into rows) become one row per channel and sweep (or per channel and event, for the
 * channels that take one event per site), and the cursor moves in the same transaction as the rows it
 * covers. So whatever instant the process dies at, an event is either in the outbox or after the cursor,
 * and the next start (or sweep) enqueues it.
 */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import { eventsAfter } from './events.js';
import type { DB } from './open.js';
import { sql } from './statements.js';

/** The payload of an `events` row: the sweep and those of its events that go to the row's channel. */
export interface EventsPayload {
  sweep: SweepSummary;
  events: WatchEvent[];
}

/** Where an event goes: a channel, whether that channel takes events one by one, and until when it is held. */
export interface RouteTarget {
  channel: string;
  /** One row per event (ref `event:<id>`), for channels that deduplicate by site: incident tools. */
  perEvent: boolean;
  /** Held back until then (the end of quiet hours); null: due at once. */
  notBefore: number | null;
}

export interface Enqueued {
  /** Rows written, per channel. */
  perChannel: Map<string, number>;
  /** Events looked at (after the cursor). */
  events: number;
  /** Sweeps whose events were already past expiry (a daemon stopped for longer than that). */
  stale: number[];
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

export function outboxCursor(db: DB): number {
  const value = sql(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(CURSOR) as string | undefined;
  return value === undefined ? 0 : Number(value);
}

function targetOf(target: string | RouteTarget): RouteTarget {
  return typeof target === 'string' ? { channel: target, perEvent: false, notBefore: null } : target;
}

interface PendingRow {
  channel: string;
  ref: string;
  site: string | null;
  notBefore: number | null;
  events: WatchEvent[];
}

/**
 * A sweep's events as rows: per channel, one row of the events due at once (`sweep:<id>`) and one of
 * those held (`sweep:<id>:held`); for per-event channels one row per event (`event:<id>`).
 */
function rowsOf(events: readonly WatchEvent[], sweepId: number, route: Route): PendingRow[] {
  const rows = new Map<string, PendingRow>();
  for (const event of events) {
    for (const target of route(event).map(targetOf)) {
      const ref = target.perEvent
        ? `event:${event.id}`
        : target.notBefore === null
          ? `sweep:${sweepId}`
          : `sweep:${sweepId}:held`;
      const key = `${target.channel}\n${ref}`;
      const row = rows.get(key) ?? {
        channel: target.channel,
        ref,
        site: target.perEvent ? (event.site?.key ?? null) : null,
        notBefore: target.notBefore,
        events: [],
      };
      // Held rows of a sweep wait for the latest end of quiet hours any of their events was given.
      if (target.notBefore !== null) row.notBefore = Math.max(row.notBefore ?? 0, target.notBefore);
      row.events.push(event);
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

type Route = (event: WatchEvent) => readonly (string | RouteTarget)[];

/**
 * Turns the events after the cursor into rows, one per channel and sweep (or event), and moves the
 * cursor, in one transaction per batch. `route` names the channels an event goes to (a name alone: the
 * whole sweep's row, due at once).
 */
export function enqueueEvents(db: DB, route: Route, now: number, expireAfterMs: number): Enqueued {
  const result: Enqueued = { perChannel: new Map(), events: 0, stale: [] };
  const selectSweep = sql(
    db,
    'SELECT id, started_at, finished_at, sites, checked, up, down, outcome, aborted, skipped_ticks FROM sweeps WHERE id = ?',
  );
  const insert = sql(
    db,
    `INSERT OR IGNORE INTO outbox (channel, kind, ref, created_at, expires_at, payload, not_before, site)
     VALUES (?, 'events', ?, ?, ?, ?, ?, ?)`,
  );
  const setCursor = sql(db, 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  for (;;) {
    const more = db
      .transaction((): boolean => {
        const events = eventsAfter(db, outboxCursor(db), EVENTS_PER_BATCH);
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
          for (const row of rowsOf(ofSweep, sweepId, route)) {
            const payload: EventsPayload = { sweep, events: row.events };
            const changes = insert.run(
              row.channel,
              row.ref,
              now,
              // A held row's time to live starts when it is released: holding never makes it expire.
              row.notBefore === null ? expiresAt : Math.max(expiresAt, row.notBefore + expireAfterMs),
              JSON.stringify(payload),
              row.notBefore,
              row.site,
            ).changes;
            if (changes > 0)
              result.perChannel.set(row.channel, (result.perChannel.get(row.channel) ?? 0) + 1);
          }
        }
        result.events += events.length;
        setCursor.run(CURSOR, String(events.at(-1)?.id ?? outboxCursor(db)));
        return events.length === EVENTS_PER_BATCH;
      })
      .immediate();
    if (!more) return result;
  }
}
