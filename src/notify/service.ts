/**
 * Notifications in the daemon, the orchestrator: after each sweep the new events go into the outbox (a
 * quick, synchronous SQLite transaction: the sweep never waits for a network), routed (routing.ts) to
 * the channels each site chose that take the event's type, as one row per sweep or, for the channels
 * that take one event per site, one row per event, held back while a channel has quiet hours; and the
 * delivery loop of each channel (delivery.ts) is woken to send them. Around
 * that: one loop per configured channel (started, stopped and replaced on SIGHUP), the heartbeat after
 * every sweep, the scheduled summary, and the housekeeping of expired and old rows.
 */

import { Agent, type Dispatcher } from 'undici';
import type { Config } from '../config/types.js';
import type { WatchEvent } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { createRedactor } from '../util/redact.js';
import { humanDuration } from '../util/time.js';
import { ChannelLoop, logDropped, plural } from './delivery.js';
import { Heartbeat } from './heartbeat.js';
import { type ChannelDeps, createChannel } from './index.js';
import type { DeliveryOptions } from './options.js';
import type { Outbox, OutboxCount } from './outbox.js';
import { Router } from './routing.js';
import { queueSummary, SummarySchedule } from './summary.js';

export interface NotificationsDeps {
  /** Where messages wait for delivery (the store's outbox, beside the events it is derived from). */
  outbox: Outbox;
  config: Config;
  logger: Logger;
  delivery: DeliveryOptions;
  clock?: () => number;
  /** The last 24 h of uptime, for the scheduled summary; without it no summary is sent. */
  report?: (since: number, until: number) => UptimeReport;
  /** TLS trust for SMTP, and the HTTP dispatcher (tests inject theirs). */
  channelDeps?: ChannelDeps;
  dispatcher?: Dispatcher;
}

/** Delivered, failed and dropped rows are kept this long for inspection, then deleted. */
const KEEP_DONE_MS = 7 * 86_400_000;

export class Notifications {
  private readonly outbox: Outbox;
  private readonly clock: () => number;
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: Agent | null;
  private config: Config;
  private loops = new Map<string, { loop: ChannelLoop; fingerprint: string }>();
  private router: Router | null = null;
  private heartbeat: Heartbeat | null = null;
  private summary: SummarySchedule | null = null;
  private started = false;

  constructor(private readonly deps: NotificationsDeps) {
    this.outbox = deps.outbox;
    this.clock = deps.clock ?? Date.now;
    this.config = deps.config;
    // Few connections per endpoint: one message per channel at a time, plus the heartbeat.
    this.ownDispatcher =
      deps.dispatcher === undefined
        ? new Agent({
            connections: 2,
            keepAliveTimeout: 10_000,
            connect: { timeout: deps.delivery.sendTimeoutMs },
          })
        : null;
    this.dispatcher = deps.dispatcher ?? (this.ownDispatcher as Agent);
  }

  get channelNames(): string[] {
    return Object.keys(this.config.channels);
  }

  /**
   * Enqueues what an earlier run left after the cursor (a crash between a sweep's commit and its outbox
   * rows), then starts a loop per channel. With `loops: false` (watch --once) nothing is sent until drain().
   */
  start(opts: { loops: boolean } = { loops: true }): void {
    this.started = opts.loops;
    this.apply(this.config);
    this.enqueue();
    this.warnOrphans();
  }

  /**
   * After a sweep has committed: its events go into the outbox, the loops are woken (those whose held
   * rows are due too, should their timer be late), the heartbeat sent unless the caller says it is not
   * due (per-site intervals commit a batch up to once a second).
   */
  afterSweep(opts: { heartbeat?: boolean } = {}): void {
    this.enqueue();
    const now = this.clock();
    for (const { loop } of this.loops.values()) {
      const until = loop.holdingUntil;
      if (until !== null && until <= now) loop.poke();
    }
    if (opts.heartbeat !== false) this.heartbeat?.ping();
  }

  /** SIGHUP: new channels start, removed or changed ones stop; rows of removed channels wait until they expire. */
  async reconfigure(config: Config): Promise<void> {
    this.config = config;
    await this.stopChanged(config);
    this.apply(config);
    this.warnOrphans();
  }

  /** watch --once: one attempt for every channel with pending rows, and the heartbeat, then return. */
  async drain(): Promise<void> {
    if (this.started) return;
    await Promise.all([...this.loops.values()].map(({ loop }) => loop.attempt()));
    await this.heartbeat?.idle();
  }

  /**
   * Resolves when nothing more will be sent unless new rows come: every loop has sent (or given up on)
   * what is pending and has no retry due, and no heartbeat is in flight. Never, while a channel keeps
   * failing transiently: callers bound the wait.
   */
  async idle(): Promise<void> {
    await Promise.all([...this.loops.values()].map(({ loop }) => loop.idle()));
    await this.heartbeat?.idle();
  }

  /** Stops the loops (abandoning sends in flight), the heartbeat and the summary schedule. */
  async stop(): Promise<void> {
    this.summary?.stop();
    this.heartbeat?.stop();
    await Promise.all([...this.loops.values()].map(({ loop }) => loop.stop()));
    this.loops.clear();
    await this.ownDispatcher?.destroy();
  }

  /** Rows per channel and status, for tests and tools. */
  counts(): OutboxCount[] {
    return this.outbox.counts();
  }

  private grouping = (channel: string) => this.loops.get(channel)?.loop.channel.grouping ?? 'sweep';

  private enqueue(): void {
    const now = this.clock();
    const router = this.router ?? new Router(this.config, this.grouping);
    const { perChannel, stale } = this.outbox.enqueueEvents(
      (event: WatchEvent) => router.route(event, now),
      now,
      this.deps.delivery.expireAfterMs,
    );
    if (stale.length > 0) {
      this.deps.logger.error(
        `notify: the events of ${plural(stale.length, 'sweep')} (${stale.join(', ')}) were raised more than ` +
          `${humanDuration(this.deps.delivery.expireAfterMs)} ago, while the monitor was stopped: not sent`,
        { msg: 'notification dropped', sweeps: stale },
      );
    }
    for (const name of perChannel.keys()) this.loops.get(name)?.loop.poke();
    // Each loop expires its own rows; rows of channels no longer configured expire here.
    for (const dropped of this.outbox.expire(now)) {
      logDropped(this.deps.logger, `channel ${dropped.channel}`, dropped, this.deps.delivery);
    }
    this.outbox.prune(now - KEEP_DONE_MS);
  }

  /** Stops the loops of channels removed or changed in `config`. */
  private async stopChanged(config: Config): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [name, { loop, fingerprint }] of this.loops) {
      const next = config.channels[name];
      if (next === undefined || JSON.stringify(next) !== fingerprint) {
        this.loops.delete(name);
        stopping.push(loop.stop());
      }
    }
    await Promise.all(stopping);
  }

  /** Routes, a loop for every channel without one, the heartbeat and the summary schedule. */
  private apply(config: Config): void {
    for (const [name, channelConfig] of Object.entries(config.channels)) {
      if (this.loops.has(name)) continue;
      const channel = createChannel(name, channelConfig, this.deps.channelDeps);
      // Channel secrets shorter than 4 characters would mask ordinary words everywhere.
      const secrets = [...config.secrets, ...channel.secrets.filter((s) => s.length >= 4)];
      const loop = new ChannelLoop(channel, {
        loops: this.started,
        outbox: this.outbox,
        logger: this.deps.logger,
        delivery: this.deps.delivery,
        clock: this.clock,
        dispatcher: this.dispatcher,
        redact: createRedactor(secrets),
      });
      this.loops.set(name, { loop, fingerprint: JSON.stringify(channelConfig) });
      if (this.started) loop.start();
    }
    this.router = new Router(config, this.grouping);
    this.heartbeat?.stop();
    this.heartbeat =
      config.heartbeat === null ? null : new Heartbeat(config.heartbeat, this.deps.logger, this.dispatcher);
    this.summary?.stop();
    this.summary = null;
    if (config.summary !== null && this.deps.report !== undefined && this.started) {
      // The summary's own zone, else the config's (or --tz), else the system's.
      const summary = { ...config.summary, timeZone: config.summary.timeZone ?? config.timeZone };
      this.summary = new SummarySchedule(summary, this.deps.logger, () => this.queueSummary());
      this.summary.start();
    }
  }

  /**
   * A summary tick: the report of the last 24 h, one outbox row per summary channel. Channels that take
   * one event per site (incident tools) get none: a summary is not an incident.
   */
  queueSummary(): void {
    const { report } = this.deps;
    const summary = this.config.summary;
    if (report === undefined || summary === null) return;
    const channels = queueSummary(this.outbox, {
      summary,
      configured: this.channelNames.filter((name) => this.grouping(name) === 'sweep'),
      report,
      now: this.clock(),
      expireAfterMs: this.deps.delivery.expireAfterMs,
    });
    this.deps.logger.info(`notify: uptime summary queued for ${channels.join(', ')}`, {
      msg: 'summary queued',
    });
    const skipped = (summary.channels ?? []).filter((name) => this.grouping(name) === 'site');
    if (skipped.length > 0) {
      this.deps.logger.warn(
        `notify: the uptime summary is not sent to ${skipped.join(', ')}: incident tools take one event per site, and a summary is no incident`,
        { msg: 'summary skipped', channels: skipped },
      );
    }
    for (const name of channels) this.loops.get(name)?.loop.poke();
  }

  private warnOrphans(): void {
    for (const name of this.outbox.pendingChannels()) {
      if (!(name in this.config.channels)) {
        this.deps.logger.warn(
          `notify: messages are pending for channel ${name}, which is no longer in the config: ` +
            `they are kept until they expire, in case it comes back`,
          { channel: name },
        );
      }
    }
  }
}
