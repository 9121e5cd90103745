/**
 * Schema version 6: maintenance windows and silences. `results.maintenance` and `rollups.maintenance`:
 * checks taken during a maintenance window, kept but counted in neither checks nor failures of uptime;
 * `sites.quiet`: what a window or silence holds back for a site (JSON, core/state.ts QuietState; NULL for
 * nothing); `silences`: the silences `uptime-squirrel silence add` writes. Listed in migrations.ts.
 */

import type { Database as DB } from 'better-sqlite3';
import type { Migration } from './migration.js';

const V6 = `
-- 1: taken during a maintenance window (neither up nor down for uptime); 0 otherwise.
ALTER TABLE results ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0;
-- Checks of the hour taken during a maintenance window: in neither checks nor failures.
ALTER TABLE rollups ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN quiet TEXT;

-- Silences: while one covers a site (starts_at <= now < ends_at), its events are recorded but sent to no
-- channel. sites: JSON list of site names or URLs, NULL for every site. Removing one sets ends_at (and
-- removed_at) to the time of removal, so it ends like one that expired.
CREATE TABLE silences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sites TEXT,
  created_at INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  reason TEXT,
  removed_at INTEGER
);
CREATE INDEX silences_by_end ON silences (ends_at);
`;

const known = new WeakMap<DB, boolean>();

/** Whether the file has these columns and table (a file kept at an older version reads and writes as it did). */
export function hasQuietColumns(db: DB): boolean {
  let has = known.get(db);
  if (has === undefined) {
    has = (db.pragma('user_version', { simple: true }) as number) >= 6;
    if (has) known.set(db, has);
  }
  return has;
}

export const MAINTENANCE_AND_SILENCES: Migration = {
  version: 6,
  description: 'maintenance marks on results and rollups, sites held by a window or silence, silences',
  up(db) {
    db.exec(V6);
  },
};
