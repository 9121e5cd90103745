/**
 * Schema version 7: what each location saw of each site in each sweep (queue mode with locations); read
 * and written by location-results.ts. Listed in migrations.ts like every other version.
 */

import type { Migration } from './migration.js';

const V6 = `
-- ok is NULL when the location gave no result (no live worker there): counted as not answering.
CREATE TABLE location_results (
  sweep_id INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  location TEXT NOT NULL,
  at INTEGER NOT NULL,
  ok INTEGER,
  status INTEGER,
  kind TEXT,
  total_ms INTEGER,
  PRIMARY KEY (sweep_id, site_id, location)
) WITHOUT ROWID;
CREATE INDEX location_results_by_time ON location_results (at);
`;

export const LOCATION_RESULTS: Migration = {
  version: 7,
  description: "each location's result per site and sweep (queue mode with locations)",
  up(db) {
    db.exec(V6);
  },
};
