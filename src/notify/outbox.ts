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
} from '../store/outbox.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { eventsMessage, summaryMessage } from './compose.js';
import type { Redact } from './fold.js';
import type { Message } from './message.js';

export type { DroppedRows, OutboxCount, OutboxRow } from '../store/outbox.js';

export interface Outbox {
  /** The events committed since the last call become rows, one per channel `route` names and sweep. */
  enqueueEvents(
    route: (event: WatchEvent) => readonly string[],
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
  pending(channel: string, limit: number): OutboxRow[];
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
  return eventsMessage([...events.values()], sweeps, {
    id,
    redact,
    maybeRepeat: rows.some((r) => r.sending),
    now,
  });
}
