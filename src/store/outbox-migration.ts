/**
 * Schema version 4, the outbox's part: rows that wait for a time (`not_before`: quiet hours) and rows
 * of one site (`site`: incident tools such as PagerDuty get one event per site, deduplicated by their
 * own key). Listed in migrations.ts like every other version.
 */

import type { Migration } from './migration.js';

const V4 = `
-- NULL: due at once. Otherwise not sent before this time (ms): held back during a channel's quiet hours,
-- and sent with everything else held when they end. expires_at counts from it, so holding never drops.
ALTER TABLE outbox ADD COLUMN not_before INTEGER;
-- The site key of a per-site row (ref "event:<id>"); NULL for the rows of a whole sweep and for the monitor.
ALTER TABLE outbox ADD COLUMN site TEXT;
`;

export const OUTBOX_HOLD_AND_SITES: Migration = {
  version: 4,
  description: 'outbox rows held until a time (quiet hours) and rows of one site (incident tools)',
  up(db) {
    db.exec(V4);
  },
};
