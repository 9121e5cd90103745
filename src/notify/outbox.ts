/**
 * What notifications need of the outbox, and how its rows read as a message. The rows live in the
 * store's database (store/outbox.ts, whose OutboxTable satisfies this interface); notify works against
 * the interface only and never sees a database handle. See store/outbox.ts for what survives a crash.
 */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import type {
  DroppedRows,
  Enqueued,
  EventsPayload,
  OutboxCount,
  OutboxKind,
  OutboxRow,
  RouteTarget,
} from '../store/outbox.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { eventsMessage, summaryMessage } from './compose.js';
import type { Redact } from './fold.js';
import type { Message } from './message.js';

export type { DroppedRows, OutboxCount, OutboxRow, RouteTarget } from '../store/outbox.js';

export interface Outbox {
  /**
   * The events committed since the last call become rows: one per channel `route` names and sweep (one
   * per event for a per-event target), held until the target's `notBefore` when it has one.
   */
  enqueueEvents(
    route: (event: WatchEvent) => readonly (string | RouteTarget)[],
    now: number,
    expireAfterMs: number,
  ): Enqueued;
  /** One row per channel; a `ref` already queued for a channel is not queued again. */
  enqueue(
    kind: OutboxKind,
    channels: readonly string[],
    ref: string,
    payload: string,
    now: number,
    expireAfterMs: number,
  ): void;
  /** The oldest pending rows of a channel; with `now`, only those due by then. */
  pending(channel: string, limit: number, now?: number): OutboxRow[];
  /** When the earliest row of a channel held past `now` becomes due; null when none is held. */
  nextDue(channel: string, now: number): number | null;
  pendingChannels(): string[];
  markSending(ids: readonly number[], now: number): void;
  markDelivered(ids: readonly number[], now: number, answer: string): void;
  markFailed(ids: readonly number[], now: number, error: string): void;
  markRetry(ids: readonly number[], error: string, uncertain?: boolean): void;
  /** Pending rows past their expiry become dropped, of one channel or of all. */
  expire(now: number, channel?: string): DroppedRows[];
  prune(before: number): number;
  counts(): OutboxCount[];
}

/** The message for a batch of rows: every pending events row at once, or one summary. */
export function messageFor(rows: readonly OutboxRow[], redact: Redact, now: number): Message {
  const first = rows[0];
  if (first === undefined) throw new Error('no rows');
  const id = `${first.kind}-${first.channel}-${first.id}-${rows.at(-1)?.id ?? first.id}`;
  if (first.kind === 'summary') {
    return summaryMessage(JSON.parse(first.payload) as UptimeReport, { id, redact });
  }
  const events = new Map<number, WatchEvent>();
  const sweeps: SweepSummary[] = [];
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as EventsPayload;
    sweeps.push(payload.sweep);
    for (const event of payload.events) events.set(event.id, event);
  }
  const held = rows.filter((r) => r.notBefore !== null);
  return eventsMessage([...events.values()], sweeps, {
    id,
    redact,
    maybeRepeat: rows.some((r) => r.sending),
    now,
    heldSince: held.length === 0 ? null : Math.min(...held.map((r) => r.createdAt)),
  });
}
