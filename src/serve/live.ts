/**
 * The status server beside the watch daemon (`watch --listen`): it reads the database once at start on
 * a read-only connection of its own, then takes each committed sweep from the daemon (results into the
 * uptime book and the metrics, a cheap re-read of states and incidents) and serves the model built from
 * that until the next. Requests never touch the database, so no client can slow a sweep down.
 */

import type { SweepSummary } from '../core/events.js';
import type { LocationsSummary } from '../core/locations.js';
import type { Logger } from '../core/logger.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { type StatusCurrent, StatusReader } from '../store/status-history.js';
import { siteKey } from '../util/site-key.js';
import { humanDuration } from '../util/time.js';
import { evaluateHealth, type HealthFacts, type HealthReport } from './health.js';
import type { ListenAddress } from './http/server.js';
import { createRegistries } from './metrics/registry.js';
import { MetricsState, type NotificationOutcome, type SiteObservation } from './metrics/state.js';
import { type StatusService, serveStatus } from './serve.js';
import { UptimeBook } from './status/book.js';
import { buildStatusModel, type PageSettings, type PageSite, siteState } from './status/build.js';

/** What the daemon's config says about the page: every site with its id and group, and which are public. */
export interface LiveConfig {
  /** Every site of the config, in its order, with its id (util/site-id.ts) and group. */
  sites: readonly (PageSite & { public: boolean })[];
  page: PageSettings;
  /** The notification channels' names, for the outbox backlog (0 included). */
  channels: readonly string[];
  secrets: readonly string[];
}

export interface LiveOptions {
  listen: ListenAddress;
  token: string | null;
  dbFile: string;
  config: LiveConfig;
  /** The schedule's longest gap between ticks: /healthz wants a sweep within two. */
  intervalMs: number;
  /** How long a notification may wait before it expires: a pending one older is a stuck outbox. */
  outboxExpireMs: number | null;
  logger: Logger;
  clock?: () => number;
  /** Off in tests that count series. */
  processMetrics?: boolean;
}

/** A sweep as the daemon committed it: results[i] is sites[i]'s, undefined when its check did not finish. */
export interface CommittedSweepView {
  sweep: SweepSummary;
  sites: readonly Site[];
  results: readonly (Result | undefined)[];
  /** Queue mode with locations: the sweep's locations and those that gave no result. */
  locations?: LocationsSummary;
}

/** Three heartbeats (store/lock.ts writes one every 10 s): one late write is not yet a fault. */
const HEALTHY_HEARTBEAT_MS = 30_000;

export class LiveStatus {
  private readonly metrics: MetricsState;
  private lastSweepAt: number | null = null;
  /** When each https site's certificate expires, by store key, from its latest check (not stored). */
  private readonly certs = new Map<string, number>();
  private readonly startedAt: number;

  private constructor(
    private readonly opts: LiveOptions,
    private readonly reader: StatusReader,
    private readonly book: UptimeBook,
    private config: LiveConfig,
    private service: StatusService | null,
    private readonly clock: () => number,
  ) {
    this.startedAt = clock();
    this.metrics = new MetricsState(config.secrets);
    this.metrics.setSites(config.sites.map((s) => ({ id: s.id, url: s.url, group: s.group })));
  }

  /** Reads the history and starts listening. @throws ListenError (address in use...), StoreError */
  static async start(opts: LiveOptions): Promise<LiveStatus> {
    const clock = opts.clock ?? Date.now;
    const reader = StatusReader.open(opts.dbFile);
    try {
      const counts = reader.snapshot((r) => r.counts(clock()));
      const live = new LiveStatus(opts, reader, UptimeBook.from(counts), opts.config, null, clock);
      live.readBacklog();
      const registries = createRegistries(live.metrics, opts.processMetrics ?? true);
      live.service = await serveStatus(
        {
          listen: opts.listen,
          token: opts.token,
          secrets: opts.config.secrets,
          metrics: registries,
          health: () => live.health(),
          onError: (error) => opts.logger.error(`status server: ${(error as Error).message}`),
        },
        live.model(),
      );
      return live;
    } catch (error) {
      reader.close();
      throw error;
    }
  }

  get url(): string {
    return this.service?.server.url ?? '';
  }

  health(): HealthReport {
    const now = this.clock();
    let oldestPendingAt: number | null = null;
    let database: HealthFacts['database'] = { writable: true };
    try {
      // The daemon writes its lock's heartbeat every 10 s: a heartbeat that stopped is a database it can
      // no longer write (the daemon stops on such a fault, so this is the window before it does).
      const heartbeat = this.reader.lastHeartbeat();
      if (heartbeat !== null && now - heartbeat > HEALTHY_HEARTBEAT_MS) {
        database = {
          writable: false,
          error: `the daemon's last write was ${humanDuration(now - heartbeat)} ago`,
        };
      }
      oldestPendingAt = this.opts.outboxExpireMs === null ? null : this.reader.oldestPending();
    } catch (error) {
      database = { writable: false, error: (error as Error).message };
    }
    return evaluateHealth({
      now,
      startedAt: this.startedAt,
      lastSweepAt: this.lastSweepAt,
      intervalMs: this.opts.intervalMs,
      database,
      outbox:
        this.opts.outboxExpireMs === null ? null : { oldestPendingAt, expireMs: this.opts.outboxExpireMs },
    });
  }

  private model(current: StatusCurrent = this.reader.snapshot((r) => r.current())) {
    const now = this.clock();
    this.lastSweepAt ??= current.lastSweepAt;
    return buildStatusModel({
      page: this.config.page,
      sites: this.config.sites.filter((s) => s.public),
      current,
      book: this.book,
      now,
      stale: this.lastSweepAt !== null && now - this.lastSweepAt > 2 * this.opts.intervalMs,
      certExpiry: this.certs,
    });
  }

  /** After a sweep has committed: its results go into the book and the metrics, and the page is rebuilt. */
  afterSweep(view: CommittedSweepView): void {
    const { sweep, sites, results } = view;
    this.lastSweepAt = Date.parse(sweep.finishedAt);
    const current = this.reader.snapshot((r) => r.current());
    sites.forEach((site, i) => {
      const result = results[i];
      // What the store kept: not a monitor-offline sweep's results (they do not count against the
      // sites' uptime), nor a check during maintenance, nor one that did not finish or was given up (ok: null).
      const maintenance = (current.sites.get(siteKey(site.url))?.maintenance ?? null) !== null;
      if (sweep.outcome === 'ok' && !maintenance && result !== undefined && result.ok !== null) {
        this.book.add(siteKey(site.url), Date.parse(result.checkedAt), result.ok);
      }
      if (result?.certExpiresAt !== undefined)
        this.certs.set(siteKey(site.url), Date.parse(result.certExpiresAt));
    });
    this.book.prune(this.clock());
    const byKey = new Map(this.config.sites.map((s) => [s.key, s]));
    const observations: SiteObservation[] = [];
    sites.forEach((site, i) => {
      const listed = byKey.get(siteKey(site.url));
      if (listed === undefined) return;
      const result = results[i];
      observations.push({
        site: { id: listed.id, url: listed.url, group: listed.group },
        state: siteState(current.sites.get(listed.key)),
        maintenance: (current.sites.get(listed.key)?.maintenance ?? null) !== null,
        check: result === undefined ? null : { kind: result.kind, timings: result.timings },
        certExpiresAt: this.certs.get(listed.key) ?? null,
        ...(result?.locations === undefined ? {} : { locations: result.locations }),
      });
    });
    this.metrics.observeSweep(sweep, observations);
    this.metrics.observeLocations(view.locations);
    this.readBacklog();
    this.service?.update(this.model(current));
  }

  skippedTick(): void {
    this.metrics.observeSkippedTick();
  }

  notification(channel: string, outcome: NotificationOutcome, count = 1): void {
    this.metrics.observeNotification(channel, outcome, count);
    this.readBacklog();
  }

  /** The outbox's backlog per channel, read after a sweep and after each send (not per scrape). */
  private readBacklog(): void {
    const pending = this.reader.snapshot((r) => r.pendingByChannel());
    this.metrics.setOutbox(Object.fromEntries(this.config.channels.map((c) => [c, pending.get(c) ?? 0])));
  }

  /** A reloaded config: new ids, groups, public sites, page settings from now on. */
  reconfigure(config: LiveConfig): void {
    this.config = config;
    this.metrics.setSites(config.sites.map((s) => ({ id: s.id, url: s.url, group: s.group })));
    this.service?.update(this.model());
  }

  async close(): Promise<void> {
    try {
      await this.service?.close();
    } finally {
      this.reader.close();
    }
  }
}
