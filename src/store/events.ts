/**
 * Reading the events table. commit.ts writes each event as the JSON of everything but its id; the id is
 * the row's, never reused (AUTOINCREMENT), which is what the outbox's cursor counts on.
 */

import type { WatchEvent } from '../core/events.js';
import type { DB } from './open.js';
import { sql } from './statements.js';

/** Events in id order, after `afterId`, at most `limit`. */
export function eventsAfter(db: DB, afterId: number, limit: number): WatchEvent[] {
  const rows = sql(db, 'SELECT id, data FROM events WHERE id > ? ORDER BY id LIMIT ?').all(
    afterId,
    limit,
  ) as {
    id: number;
    data: string;
  }[];
  return rows.map((row) => ({ id: row.id, ...(JSON.parse(row.data) as Omit<WatchEvent, 'id'>) }));
}
