/**
 * One sweep written as one transaction's worth of rows: the sweep, its results, the sites' states,
 * incidents opened and closed, the events raised (stored as the JSON of everything but their id, see
 * events.ts) and the monitor's state. WatchStore.commitSweep runs it inside the transaction.
 */

import type { EventSite, SweepSummary, WatchEvent } from '../core/events.js';
import type { Kind } from '../core/result.js';
import type { MonitorEvent, MonitorState, SiteEvent, Transition } from '../core/state.js';
import { type LocationRow, writeLocationRows } from './location-results.js';
import type { DB } from './open.js';
import { hasQuietColumns } from './quiet-migration.js';
import { hasSiteWatchColumns } from './site-watch-migration.js';
import { sql } from './statements.js';

/** One result as stored. */
export interface ResultRow {
  at: number;
  ok: boolean;
  status: number | null;
  kind: Kind;
  totalMs: number;
}

export interface SweepEntry extends EventSite {
  /** The check's result; null when the sweep was stopped before the check finished (nothing recorded). */
  result: ResultRow | null;
  /** The site's transition; null when its state does not change (monitor offline, not checked). */
  transition: Transition | null;
  /** The check was taken during a maintenance window: its result is kept, marked, and left out of uptime. */
  maintenance?: boolean;
  /** Queue mode with locations: what each location saw (location-results.ts); absent otherwise. */
  locations?: readonly LocationRow[];
}

export interface SweepCommit {
  startedAt: number;
  finishedAt: number;
  /** Sites in the config. */
  sites: number;
  aborted: boolean;
  skippedTicks: number;
  /** Monitor offline: the sweep and its results are recorded (results apart: offline_results), site states not. */
  offline: boolean;
  entries: readonly SweepEntry[];
  monitor: MonitorState;
  monitorEvent: MonitorEvent | null;
}

export interface CommittedSweep {
  sweep: SweepSummary;
  events: WatchEvent[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What a window or silence adds to an event: held (`silenced`), or telling what was held. */
function quietFields(event: SiteEvent, silenced: number | undefined): Partial<WatchEvent> {
  const fields: Partial<WatchEvent> = {};
  if (silenced !== undefined) fields.silenced = iso(silenced) as string;
  if (event.type === 'down' && event.silencedSince !== undefined)
    fields.silencedSince = iso(event.silencedSince) as string;
  if (event.type === 'down' && event.maintenance !== undefined) fields.maintenance = event.maintenance;
  return fields;
}

function siteEvent(
  event: SiteEvent,
  site: EventSite,
  ids: { sweepId: number; incidentId: number | null },
  silenced?: number,
): Omit<WatchEvent, 'id'> {
  return { ...eventBody(event, site, ids), ...quietFields(event, silenced) };
}

function eventBody(
  event: SiteEvent,
  site: EventSite,
  ids: { sweepId: number; incidentId: number | null },
): Omit<WatchEvent, 'id'> {
  const common = {
    sweepId: ids.sweepId,
    type: event.type,
    at: new Date(event.at).toISOString(),
    site: { key: site.key, url: site.url, name: site.name },
    incidentId: ids.incidentId,
    cause: null,
    downSince: null,
    downForMs: null,
    failed: null,
    checked: null,
  };
  switch (event.type) {
    case 'down':
    case 'still-down':
    case 'up':
      return {
        ...common,
        cause: event.cause,
        downSince: iso(event.downSince),
        downForMs: event.type === 'down' ? null : event.downForMs,
      };
    // Slowness and certificates belong to no incident: the site is up.
    case 'degraded':
      return { ...common, incidentId: null, cause: event.cause, degradedSince: iso(event.since) };
    case 'recovered':
      return {
        ...common,
        incidentId: null,
        cause: event.cause,
        degradedSince: iso(event.since),
        degradedForMs: event.forMs,
      };
    case 'cert-expiring':
      return { ...common, incidentId: null, cert: event.cert, threshold: event.threshold };
    case 'cert-renewed':
      return { ...common, incidentId: null, cert: event.cert, previous: event.previous };
  }
}

function monitorEvent(event: MonitorEvent, sweepId: number): Omit<WatchEvent, 'id'> {
  const stored: Omit<WatchEvent, 'id'> = {
    sweepId,
    type: event.type,
    at: new Date(event.at).toISOString(),
    site: null,
    incidentId: null,
    cause: null,
    downSince: event.type === 'monitor-online' ? iso(event.offlineSince) : null,
    downForMs: event.type === 'monitor-online' ? event.offlineForMs : null,
    failed: event.type === 'monitor-offline' ? event.failed : null,
    checked: event.type === 'monitor-offline' ? event.checked : null,
  };
  if (event.type === 'monitor-offline') stored.kinds = event.kinds;
  return stored;
}

/** The offline_periods row of the stretch the sweep begins, continues or ends. */
function trackOfflinePeriod(db: DB, c: SweepCommit): void {
  const event = c.monitorEvent;
  if (event?.type === 'monitor-offline') {
    sql(
      db,
      'INSERT INTO offline_periods (started_at, sweeps, failed, checked, kinds) VALUES (?, 1, ?, ?, ?)',
    ).run(c.monitor.offlineSince ?? event.at, event.failed, event.checked, JSON.stringify(event.kinds));
  } else if (c.offline) {
    sql(db, 'UPDATE offline_periods SET sweeps = sweeps + 1 WHERE ended_at IS NULL').run();
  } else if (event?.type === 'monitor-online') {
    sql(db, 'UPDATE offline_periods SET ended_at = ? WHERE ended_at IS NULL').run(event.at);
  }
}

/** Writes a whole sweep; the caller holds the transaction. */
export function writeSweep(db: DB, c: SweepCommit): CommittedSweep {
  const checked = c.entries.filter((e) => e.result !== null);
  const up = checked.filter((e) => e.result?.ok).length;
  const sweep: SweepSummary = {
    id: 0,
    startedAt: new Date(c.startedAt).toISOString(),
    finishedAt: new Date(c.finishedAt).toISOString(),
    sites: c.sites,
    checked: checked.length,
    up,
    down: checked.length - up,
    outcome: c.offline ? 'monitor-offline' : 'ok',
    aborted: c.aborted,
    skippedTicks: c.skippedTicks,
  };
  sweep.id = Number(
    sql(
      db,
      `INSERT INTO sweeps (started_at, finished_at, sites, checked, up, down, outcome, aborted, skipped_ticks)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.startedAt,
      c.finishedAt,
      c.sites,
      sweep.checked,
      sweep.up,
      sweep.down,
      sweep.outcome,
      c.aborted ? 1 : 0,
      c.skippedTicks,
    ).lastInsertRowid,
  );

  const findSite = sql(db, 'SELECT id, incident_id FROM sites WHERE key = ?');
  const insertSite = sql(
    db,
    'INSERT INTO sites (key, url, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)',
  );
  const touchSite = sql(db, 'UPDATE sites SET url = ?, name = ?, last_seen = ? WHERE id = ?');
  const updateState = sql(
    db,
    `UPDATE sites SET url = ?, name = ?, last_seen = ?, status = ?, since = ?, failures = ?, successes = ?,
       streak_start = ?, last_alert_at = ?, cause = ?, incident_id = ? WHERE id = ?`,
  );
  const updateWatch = hasSiteWatchColumns(db)
    ? sql(db, 'UPDATE sites SET slowness = ?, certs = ? WHERE id = ?')
    : null;
  const quiet = hasQuietColumns(db);
  const updateQuiet = quiet ? sql(db, 'UPDATE sites SET quiet = ? WHERE id = ?') : null;
  const insertResult = sql(
    db,
    c.offline || !quiet
      ? `INSERT INTO ${c.offline ? 'offline_results' : 'results'} (sweep_id, site_id, at, ok, status, kind, total_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
      : `INSERT INTO results (sweep_id, site_id, at, ok, status, kind, total_ms, maintenance)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const openIncident = sql(db, 'INSERT INTO incidents (site_id, started_at, cause) VALUES (?, ?, ?)');
  const closeIncident = sql(db, 'UPDATE incidents SET ended_at = ? WHERE id = ?');
  const insertEvent = sql(
    db,
    'INSERT INTO events (sweep_id, at, type, site_id, incident_id, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const events: WatchEvent[] = [];
  const raise = (event: Omit<WatchEvent, 'id'>, siteId: number | null) => {
    const id = Number(
      insertEvent.run(
        sweep.id,
        Date.parse(event.at),
        event.type,
        siteId,
        event.incidentId,
        JSON.stringify(event),
      ).lastInsertRowid,
    );
    events.push({ id, ...event });
  };

  for (const entry of c.entries) {
    let site = findSite.get(entry.key) as { id: number; incident_id: number | null } | undefined;
    if (site === undefined) {
      const id = Number(
        insertSite.run(entry.key, entry.url, entry.name, c.startedAt, c.startedAt).lastInsertRowid,
      );
      site = { id, incident_id: null };
    }
    const r = entry.result;
    if (r !== null) {
      const row = [sweep.id, site.id, r.at, r.ok ? 1 : 0, r.status, r.ok ? null : r.kind, r.totalMs];
      insertResult.run(...(c.offline || !quiet ? row : [...row, entry.maintenance ? 1 : 0]));
      if (entry.locations && !c.offline) writeLocationRows(db, sweep.id, site.id, r.at, entry.locations);
    }
    const t = entry.transition;
    if (t === null) {
      touchSite.run(entry.url, entry.name, c.startedAt, site.id);
      continue;
    }
    let incidentId = site.incident_id;
    for (const event of t.event === null ? (t.more ?? []) : [t.event, ...(t.more ?? [])]) {
      // A down told once its silence ended belongs to the incident opened when it was recorded.
      if (event.type === 'down' && !(event.silencedSince !== undefined && incidentId !== null)) {
        incidentId = Number(
          openIncident.run(site.id, event.downSince, JSON.stringify(event.cause)).lastInsertRowid,
        );
      } else if (event.type === 'up' && incidentId !== null) {
        closeIncident.run(event.upSince, incidentId);
      }
      raise(siteEvent(event, entry, { sweepId: sweep.id, incidentId }, t.silenced), site.id);
      if (event.type === 'up') incidentId = null;
    }
    const n = t.next;
    updateState.run(
      entry.url,
      entry.name,
      c.startedAt,
      n.status,
      n.since,
      n.failures,
      n.successes,
      n.streakStart,
      n.lastAlertAt,
      n.cause === null ? null : JSON.stringify(n.cause),
      incidentId,
      site.id,
    );
    updateWatch?.run(
      n.slowness === undefined ? null : JSON.stringify(n.slowness),
      n.certs === undefined || n.certs.length === 0 ? null : JSON.stringify(n.certs),
      site.id,
    );
    updateQuiet?.run(n.quiet === undefined ? null : JSON.stringify(n.quiet), site.id);
  }

  if (c.monitorEvent !== null) raise(monitorEvent(c.monitorEvent, sweep.id), null);
  trackOfflinePeriod(db, c);
  if (c.monitor.offlineSince === null) sql(db, "DELETE FROM meta WHERE key = 'monitor_offline_since'").run();
  else {
    sql(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('monitor_offline_since', ?)").run(
      String(c.monitor.offlineSince),
    );
  }
  return { sweep, events };
}
