/**
 * `report`: per-site uptime over a window, from raw results where they are still kept and hourly
 * rollups where they are not. `UptimeReport` is exactly the JSON document of `report --json`.
 */

import type { SiteStatus } from '../core/state.js';
import { describeCause, describeOffline } from '../util/describe.js';
import {
  addTo,
  decodeHistogram,
  exactPercentile,
  type Histogram,
  histogramPercentile,
  mergeInto,
} from './histogram.js';
import type { History } from './history.js';
import type { LocationUptime } from './location-results.js';

export interface ReportIncident {
  start: string;
  /** null while the incident is open. */
  end: string | null;
  cause: string;
}

export interface SiteUptime {
  url: string;
  name: string | null;
  state: SiteStatus;
  stateSince: string | null;
  /** Successful checks / checks, in percent (3 decimals); null without checks in the window. */
  uptimePct: number | null;
  /** Checks counted in uptimePct: those taken while the monitor was offline are not. */
  checks: number;
  /** Checks taken while the monitor was offline: kept, but neither up nor down. */
  offlineChecks: number;
  /** Checks taken during a maintenance window: kept, but neither up nor down. */
  maintenanceChecks: number;
  /** Response times of the successful checks; approximate (within ~5%) where hourly rollups were used. */
  p50Ms: number | null;
  p95Ms: number | null;
  incidents: ReportIncident[];
  /** Queue mode with locations: each location's own uptime beside the combined one; absent otherwise. */
  locations?: LocationUptime[];
}

/** A stretch of the monitor being offline: its sweeps' results count neither for nor against a site. */
export interface ReportOfflinePeriod {
  start: string;
  /** null while it lasts. */
  end: string | null;
  /** Up to its end, or to the end of the window while it lasts. */
  durationMs: number;
  sweeps: number;
  /** What its first sweep saw: "8 of 8 checks got no response (5 dns, 3 refused)". */
  cause: string;
}

export interface UptimeReport {
  since: string;
  until: string;
  sites: SiteUptime[];
  /** When the monitor was offline in the window, oldest first. */
  offline: ReportOfflinePeriod[];
  /** The silences in force or to come at the end of the window (`silence add`), oldest first. */
  silences: ReportSilence[];
}

/** A silence: its sites are checked and recorded, but no notification goes out for them. */
export interface ReportSilence {
  id: number;
  /** Site names or URLs; null for every site. */
  sites: string[] | null;
  start: string;
  end: string;
  reason: string | null;
}

/** One slot of a site's sparkline: mean response time of its successful checks, and its failures. */
export interface SparkCell {
  meanMs: number | null;
  checks: number;
  failures: number;
  /** Checks taken while the monitor was offline (not in `checks`). */
  offline: number;
}

/** The report and, per site in the same order, the sparkline cells the table draws. */
export interface UptimeView {
  report: UptimeReport;
  sparks: SparkCell[][];
}

/** Above this many raw results per site, percentiles come from the histogram instead of a sort. */
const EXACT_LIMIT = 50_000;

interface Acc {
  checks: number;
  failures: number;
  offline: number;
  maintenance: number;
  exact: number[] | null;
  histogram: Histogram;
  cells: { sum: number; ok: number; checks: number; failures: number; offline: number }[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function buildUptime(history: History, since: number, until: number, slots = 24): UptimeView {
  return history.snapshot((h) => {
    const sites = h.sites(since);
    const accs = new Map<number, Acc>();
    for (const site of sites) {
      accs.set(site.id, {
        checks: 0,
        failures: 0,
        offline: 0,
        maintenance: 0,
        exact: [],
        histogram: new Map(),
        cells: Array.from({ length: slots }, () => ({ sum: 0, ok: 0, checks: 0, failures: 0, offline: 0 })),
      });
    }
    const slotOf = (at: number) =>
      Math.min(slots - 1, Math.max(0, Math.floor(((at - since) / (until - since)) * slots)));

    for (const [siteId, at, ok, totalMs] of h.rawResults(since, until)) {
      const acc = accs.get(siteId);
      if (acc === undefined) continue;
      const cell = acc.cells[slotOf(at)];
      acc.checks++;
      if (cell) cell.checks++;
      if (!ok) {
        acc.failures++;
        if (cell) cell.failures++;
        continue;
      }
      addTo(acc.histogram, totalMs);
      if (acc.exact !== null && acc.exact.length >= EXACT_LIMIT) acc.exact = null;
      acc.exact?.push(totalMs);
      if (cell) {
        cell.sum += totalMs;
        cell.ok++;
      }
    }
    for (const [siteId, at] of h.offlineResults(since, until)) {
      const acc = accs.get(siteId);
      if (acc === undefined) continue;
      acc.offline++;
      const cell = acc.cells[slotOf(at)];
      if (cell) cell.offline++;
    }
    for (const [siteId] of h.maintenanceResults(since, until)) {
      const acc = accs.get(siteId);
      if (acc !== undefined) acc.maintenance++;
    }
    for (const [siteId, hourStart, checks, failures, okMsSum, histogram, offline, maintenance] of h.rollups(
      since,
      until,
    )) {
      const acc = accs.get(siteId);
      if (acc === undefined) continue;
      acc.offline += offline;
      acc.maintenance += maintenance;
      const cell = acc.cells[slotOf(hourStart)];
      if (cell) cell.offline += offline;
      if (checks === 0) continue;
      // Rolled-up hours have no exact times left: percentiles come from the merged histograms.
      acc.exact = null;
      acc.checks += checks;
      acc.failures += failures;
      mergeInto(acc.histogram, decodeHistogram(histogram));
      if (cell) {
        cell.checks += checks;
        cell.failures += failures;
        cell.sum += okMsSum;
        cell.ok += checks - failures;
      }
    }
    const incidents = new Map<number, ReportIncident[]>();
    for (const incident of h.incidents(since, until)) {
      const list = incidents.get(incident.siteId) ?? [];
      list.push({
        start: new Date(incident.start).toISOString(),
        end: iso(incident.end),
        cause: describeCause(incident.cause),
      });
      incidents.set(incident.siteId, list);
    }

    const byLocation = h.locationUptime(since, until);
    const sparks: SparkCell[][] = [];
    const rows = sites.map((site): SiteUptime => {
      const acc = accs.get(site.id) as Acc;
      sparks.push(
        acc.cells.map((c) => ({
          meanMs: c.ok > 0 ? c.sum / c.ok : null,
          checks: c.checks,
          failures: c.failures,
          offline: c.offline,
        })),
      );
      const sorted = acc.exact?.sort((a, b) => a - b) ?? null;
      const percentile = (p: number) =>
        sorted !== null ? exactPercentile(sorted, p) : histogramPercentile(acc.histogram, p);
      return {
        url: site.url,
        name: site.name,
        state: site.status,
        stateSince: iso(site.since),
        uptimePct:
          acc.checks === 0 ? null : Math.round(((acc.checks - acc.failures) / acc.checks) * 100_000) / 1000,
        checks: acc.checks,
        offlineChecks: acc.offline,
        maintenanceChecks: acc.maintenance,
        p50Ms: percentile(0.5),
        p95Ms: percentile(0.95),
        incidents: incidents.get(site.id) ?? [],
        ...(byLocation.has(site.id) ? { locations: byLocation.get(site.id) } : {}),
      };
    });
    const offline = h.offlinePeriods(since, until).map(
      (p): ReportOfflinePeriod => ({
        start: new Date(p.start).toISOString(),
        end: iso(p.end),
        durationMs: Math.max(0, (p.end ?? until) - p.start),
        sweeps: p.sweeps,
        cause: describeOffline(p),
      }),
    );
    return {
      report: {
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        sites: rows,
        offline,
        silences: h.silences(until).map(
          (x): ReportSilence => ({
            id: x.id,
            sites: x.sites,
            start: new Date(x.startsAt).toISOString(),
            end: new Date(x.endsAt).toISOString(),
            reason: x.reason,
          }),
        ),
      },
      sparks,
    };
  });
}
