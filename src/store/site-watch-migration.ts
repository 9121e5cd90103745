/**
 * Schema version 5: what a site's state keeps besides up and down. `slowness`: the degraded state and the
 * streaks of slow and quick checks (JSON, core/state.ts Slowness; NULL while there are none); `certs`: the
 * certificates the site served lately and the warnings raised for each (JSON array of CertRecord; NULL for
 * none). Listed in migrations.ts like every other version.
 */

import type { Database as DB } from 'better-sqlite3';
import type { Migration } from './migration.js';

const V5 = `
ALTER TABLE sites ADD COLUMN slowness TEXT;
ALTER TABLE sites ADD COLUMN certs TEXT;
`;

const known = new WeakMap<DB, boolean>();

/**
 * Whether the sites table has these columns. A daemon's database always has (open migrates it), but the
 * store is also used on files kept at an older version on purpose (upgrade tests), which read and write
 * as they did.
 */
export function hasSiteWatchColumns(db: DB): boolean {
  let has = known.get(db);
  if (has === undefined) {
    has = (db.pragma('user_version', { simple: true }) as number) >= 5;
    // Only a migrated answer is kept: a file at an older version may be migrated on another connection.
    if (has) known.set(db, has);
  }
  return has;
}

export const SITE_SLOWNESS_AND_CERTS: Migration = {
  version: 5,
  description: "sites' degraded state (slowness) and the certificates they served (certs)",
  up(db) {
    db.exec(V5);
  },
};
