/**
 * What the metrics say, as plain data the daemon updates after each sweep and each delivery; the
 * prom-client registries (registry.ts) read it at scrape time. Series are keyed by the site list, so
 * their number is bounded by the config: no label ever comes from an error text or a server's answer.
 */

import type { SweepSummary } from '../../core/events.js';
import type { LocationsSummary } from '../../core/locations.js';
import { KINDS, type Kind, type Timings } from '../../core/result.js';
import { createRedactor, redactUrl } from '../../util/redact.js';
import type { SiteState } from '../status/model.js';

export interface MetricSite {
  /** The public id (util/site-id.ts). */
  id: string;
  /** Redacted. */
  url: string;
  group: string | null;
}

/** One site after a sweep: its state and its check's result (null when it was not checked). */
export interface SiteObservation {
  /** The site's id is what counts: its labels come from setSites. */
  site: MetricSite;
  state: SiteState;
  check: { kind: Kind; timings: Timings } | null;
  /** When its TLS certificate expires, ms since the epoch; null for http: or when unknown. */
  certExpiresAt?: number | null;
  /** In a maintenance window at its last check. */
  maintenance?: boolean;
  /** Queue mode with locations: what each location saw in this sweep (ok null: no result from there). */
  locations?: ReadonlyArray<{ location: string; ok: boolean | null }>;
}

export const NOTIFICATION_OUTCOMES = ['sent', 'retry', 'failed', 'expired'] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export const SWEEP_OUTCOMES = ['ok', 'monitor-offline', 'aborted'] as const;
export type SweepOutcome = (typeof SWEEP_OUTCOMES)[number];

export interface SiteSeries {
  site: MetricSite;
  state: SiteState;
  timings: Timings | null;
  certExpiresAt: number | null;
  checks: Record<Kind, number>;
  /** In a maintenance window at its last check. */
  maintenance?: boolean;
  /** Location -> whether it saw the site up in the latest sweep (null: no result from there). */
  locations: Map<string, boolean | null>;
}

const zeroKinds = () => Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;

export class MetricsState {
  private readonly redact: (text: string) => string;

  /** `secrets`: the config's ${VAR} values, masked in every label as everywhere else. */
  constructor(secrets: readonly string[] = []) {
    this.redact = createRedactor(secrets);
  }

  readonly sites = new Map<string, SiteSeries>();
  readonly sweeps: Record<SweepOutcome, number> = { ok: 0, 'monitor-offline': 0, aborted: 0 };
  lastSweep: { finishedAt: number; durationMs: number } | null = null;
  skippedTicks = 0;
  /** `channel\u0000outcome` -> count: channel names come from the config, outcomes from the list above. */
  readonly notifications = new Map<string, number>();
  outbox: Record<string, number> = {};
  /** Queue mode with locations: each location of the latest sweep -> whether it gave every result. */
  locations = new Map<string, boolean>();

  /** The config's sites (at start and after a reload): series of sites no longer listed disappear. */
  setSites(given: readonly MetricSite[]): void {
    const sites = given.map((s) => ({
      id: s.id,
      url: this.redact(redactUrl(s.url)),
      group: s.group === null ? null : this.redact(s.group),
    }));
    const keep = new Set(sites.map((s) => s.id));
    for (const id of this.sites.keys()) if (!keep.has(id)) this.sites.delete(id);
    for (const site of sites) {
      const series = this.sites.get(site.id);
      if (series) series.site = site;
      else
        this.sites.set(site.id, {
          site,
          state: 'unknown',
          timings: null,
          certExpiresAt: null,
          checks: zeroKinds(),
          locations: new Map(),
        });
    }
  }

  observeSweep(sweep: SweepSummary, observations: readonly SiteObservation[]): void {
    for (const o of observations) {
      const series = this.sites.get(o.site.id);
      // Labels stay those of setSites (redacted); an observation only carries the id.
      if (series === undefined) continue;
      series.state = o.state;
      if (o.check !== null) {
        series.timings = o.check.timings;
        series.checks[o.check.kind]++;
      }
      if (o.certExpiresAt !== undefined) series.certExpiresAt = o.certExpiresAt;
      if (o.maintenance !== undefined) series.maintenance = o.maintenance;
      // Location names come from the config or the command line: bounded like the sites.
      if (o.locations !== undefined) series.locations = new Map(o.locations.map((l) => [l.location, l.ok]));
    }
    const outcome: SweepOutcome = sweep.aborted ? 'aborted' : sweep.outcome;
    this.sweeps[outcome]++;
    const finishedAt = Date.parse(sweep.finishedAt);
    this.lastSweep = { finishedAt, durationMs: finishedAt - Date.parse(sweep.startedAt) };
  }

  /** The locations of the latest sweep, and those that left checks without a result. */
  observeLocations(summary: LocationsSummary | undefined): void {
    const missing = new Set(summary?.missing.map((m) => m.location) ?? []);
    this.locations = new Map((summary?.locations ?? []).map((l) => [l, !missing.has(l)]));
  }

  observeSkippedTick(): void {
    this.skippedTicks++;
  }

  observeNotification(channel: string, outcome: NotificationOutcome, count = 1): void {
    const key = `${this.redact(channel)}\u0000${outcome}`;
    this.notifications.set(key, (this.notifications.get(key) ?? 0) + count);
  }

  /** Notifications waiting per channel (every configured channel, 0 included). */
  setOutbox(backlog: Record<string, number>): void {
    this.outbox = Object.fromEntries(
      Object.entries(backlog).map(([channel, n]) => [this.redact(channel), n]),
    );
  }
}
