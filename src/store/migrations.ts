/**
 * The schema, as numbered migrations. `PRAGMA user_version` holds the number of the last one applied
 * and `PRAGMA application_id` marks the file as ours, so a foreign or newer file is recognised before
 * anything is written to it. Each migration runs in its own transaction with the version bump.
 */

import type { Database } from 'better-sqlite3';
import { LOCATION_RESULTS } from './location-migration.js';
import type { Migration } from './migration.js';
import { OUTBOX_HOLD_AND_SITES } from './outbox-migration.js';
import { MAINTENANCE_AND_SILENCES } from './quiet-migration.js';
import { SITE_SLOWNESS_AND_CERTS } from './site-watch-migration.js';

export type { Migration } from './migration.js';

/** "USQR" in ASCII: `PRAGMA application_id` of every uptime-squirrel database. */
export const APPLICATION_ID = 0x55535152;

const V1 = `
-- Key-value facts about the file and the monitor: app, created_at, monitor_offline_since.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('app', 'uptime-squirrel'), ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- At most one row: the daemon using this file (see lock.ts).
CREATE TABLE lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  token TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);

-- One row per site ever watched, with its state between sweeps. Times are ms since the epoch.
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  name TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('up', 'down', 'unknown')),
  since INTEGER,
  failures INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  streak_start INTEGER,
  last_alert_at INTEGER,
  cause TEXT,
  incident_id INTEGER
);

CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  sites INTEGER NOT NULL,
  checked INTEGER NOT NULL,
  up INTEGER NOT NULL,
  down INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'monitor-offline')),
  aborted INTEGER NOT NULL DEFAULT 0,
  skipped_ticks INTEGER NOT NULL DEFAULT 0,
  -- 1 while the sweep's results are kept one by one; 0 once rolled up into hourly aggregates.
  raw INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sweeps_by_time ON sweeps (started_at);
CREATE INDEX sweeps_raw_by_time ON sweeps (started_at) WHERE raw = 1;

-- Every result, while raw. Keyed by sweep first, so inserts append and old sweeps delete as a range.
-- kind is NULL for a success, ok is 0 or 1 (stored in the record header: no payload bytes).
CREATE TABLE results (
  sweep_id INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  status INTEGER,
  kind TEXT,
  total_ms INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, site_id)
) WITHOUT ROWID;

-- Old results, one row per site per hour (hours since the epoch). histogram: response times of the
-- successful checks (histogram.ts); ok_ms_sum / (checks - failures) is their mean.
CREATE TABLE rollups (
  hour INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  checks INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  ok_ms_sum INTEGER NOT NULL,
  histogram BLOB NOT NULL,
  PRIMARY KEY (hour, site_id)
) WITHOUT ROWID;

CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  cause TEXT NOT NULL
);
CREATE INDEX incidents_by_site ON incidents (site_id, started_at);
CREATE INDEX incidents_by_end ON incidents (ended_at);

-- AUTOINCREMENT: an event id is never reused, whatever rows retention deletes (the outbox keys on it).
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sweep_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  site_id INTEGER,
  incident_id INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX events_by_time ON events (at);
`;

const V2 = `
-- Notifications waiting for delivery, or done with (kept a week for inspection). One row per channel and
-- sweep (ref "sweep:<id>") or scheduled summary (ref "summary:<time>"). Holds channel NAMES and event
-- data only: never a channel's URL, password or token. See src/store/outbox.ts.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('events', 'summary')),
  ref TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- 1 from just before a send until its outcome is recorded: still 1 after a restart = maybe delivered.
  sending INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER,
  last_error TEXT,
  answer TEXT,
  done_at INTEGER,
  UNIQUE (channel, ref)
);
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE status = 'pending';
CREATE INDEX outbox_done ON outbox (done_at) WHERE status <> 'pending';
-- meta.outbox_cursor: the last event id turned into outbox rows. Events raised before notifications
-- existed are not sent now: the cursor starts after them.
INSERT OR REPLACE INTO meta (key, value) SELECT 'outbox_cursor', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM events;
`;

const V3 = `
-- Results of the sweeps taken while the monitor was offline (sweeps.outcome 'monitor-offline'): kept, as
-- the results table keeps the others, but apart from them, so that no count of checks or failures (uptime,
-- the status page) takes them for the sites' own. Rolled up into rollups.offline like results.
CREATE TABLE offline_results (
  sweep_id INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  status INTEGER,
  kind TEXT,
  total_ms INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, site_id)
) WITHOUT ROWID;

-- Checks of the hour taken while the monitor was offline: in neither checks nor failures.
ALTER TABLE rollups ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;

-- One row per stretch of the monitor being offline, as incidents are for sites. started_at: the end of
-- its first offline sweep (meta.monitor_offline_since while it lasts); ended_at: the end of the first
-- normal sweep after it, NULL while it lasts. failed, checked, kinds (JSON {"dns": 5}): what its first
-- sweep saw, NULL where unknown (stretches from before this version).
CREATE TABLE offline_periods (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  sweeps INTEGER NOT NULL DEFAULT 1,
  failed INTEGER,
  checked INTEGER,
  kinds TEXT
);
CREATE INDEX offline_periods_by_end ON offline_periods (ended_at);
`;

interface MonitorEventRow {
  type: 'monitor-offline' | 'monitor-online';
  at: number;
  data: string;
}

/**
 * The offline stretches a database of version 2 knows of, from its monitor events (paired in id order)
 * and meta.monitor_offline_since (the stretch going on now, whose event retention may have deleted).
 */
function backfillOfflinePeriods(db: Database): void {
  const insert = db.prepare(
    'INSERT INTO offline_periods (started_at, ended_at, sweeps, failed, checked) VALUES (?, ?, ?, ?, ?)',
  );
  const sweepsIn = db
    .prepare(
      `SELECT COUNT(*) FROM sweeps WHERE outcome = 'monitor-offline' AND finished_at >= ? AND finished_at < ?`,
    )
    .pluck();
  const rows = db
    .prepare(
      "SELECT type, at, data FROM events WHERE type IN ('monitor-offline', 'monitor-online') ORDER BY id",
    )
    .all() as MonitorEventRow[];
  let open: { start: number; failed: number | null; checked: number | null } | null = null;
  const close = (start: number, end: number | null, failed: number | null, checked: number | null) => {
    const sweeps = sweepsIn.get(start, end ?? Number.MAX_SAFE_INTEGER) as number;
    insert.run(start, end, Math.max(1, sweeps), failed, checked);
  };
  for (const row of rows) {
    const data = JSON.parse(row.data) as { downSince?: string | null; failed?: number; checked?: number };
    if (row.type === 'monitor-offline') {
      if (open === null) open = { start: row.at, failed: data.failed ?? null, checked: data.checked ?? null };
      continue;
    }
    if (open !== null) close(open.start, row.at, open.failed, open.checked);
    else if (data.downSince) close(Date.parse(data.downSince), row.at, null, null);
    open = null;
  }
  const since = db.prepare("SELECT value FROM meta WHERE key = 'monitor_offline_since'").pluck().get() as
    | string
    | undefined;
  if (open !== null) close(open.start, null, open.failed, open.checked);
  else if (since !== undefined) close(Number(since), null, null, null);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sites and their state, sweeps, results, hourly rollups, incidents, events, lock',
    up(db) {
      db.exec(V1);
    },
  },
  {
    version: 2,
    description: 'notification outbox',
    up(db) {
      db.exec(V2);
    },
  },
  {
    version: 3,
    description: 'results of offline sweeps kept apart, offline checks in rollups, offline periods',
    up(db) {
      db.exec(V3);
      backfillOfflinePeriods(db);
    },
  },
  OUTBOX_HOLD_AND_SITES,
  SITE_SLOWNESS_AND_CERTS,
  MAINTENANCE_AND_SILENCES,
  LOCATION_RESULTS,
];

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Applies every migration newer than the file's user_version, in order, each atomically. The first one
 * also stamps the application id, so a half-created file is never mistaken for a foreign one.
 * @returns the versions applied
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of sorted) {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (migration.version <= current) continue;
    db.transaction(() => {
      if (current === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
