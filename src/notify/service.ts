/**
 * Notifications in the daemon: after each sweep the new events go into the outbox (a quick, synchronous
 * SQLite transaction: the sweep never waits for a network), then one delivery loop per channel sends
 * what is pending for it, independently of the others, each send bounded by a timeout. A slow or dead
 * channel delays only itself.
 *
 * A loop sends everything pending for its channel as ONE message: after an outage of the mail server,
 * a site that went down and came back meanwhile arrives as one "was down from t1 to t2" entry, and a
 * thousand pending sweeps arrive as one message, not a thousand.
 *
 * Transient failures (network, SMTP 4xx, HTTP 5xx/429, timeouts) are retried with exponential backoff
 * until the message expires; permanent ones (SMTP 5xx, other HTTP 4xx) are logged with the server's
 * answer and not retried. See outbox.ts for what survives a crash.
 */

import { hostname } from 'node:os';
import { Agent, type Dispatcher } from 'undici';
import type { Config } from '../config/types.js';
import type { SweepSummary, WatchEvent } from '../core/events.js';
import type { UptimeReport } from '../store/uptime-report.js';
import { createRedactor } from '../util/redact.js';
import { siteKey } from '../util/site-key.js';
import { humanDuration } from '../util/time.js';
import { asNotifyError, describeAnswer } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import { type Channel, type ChannelDeps, createChannel } from './index.js';
import { eventsMessage, type Message, summaryMessage } from './message.js';
import { type DeliveryOptions, retryDelay } from './options.js';
import { type DroppedRows, type EventsPayload, Outbox, type OutboxRow } from './outbox.js';
import { SummarySchedule } from './summary.js';
import { formatTime } from './text.js';

/** The part of the daemon's logger notifications use. */
export interface NotifyLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface NotificationsDeps {
  /** The daemon's database connection (the outbox lives beside the events). */
  db: ConstructorParameters<typeof Outbox>[0];
  config: Config;
  logger: NotifyLogger;
  delivery: DeliveryOptions;
  clock?: () => number;
  /** The last 24 h of uptime, for the scheduled summary; without it no summary is sent. */
  report?: (since: number, until: number) => UptimeReport;
  /** TLS trust for SMTP, and the HTTP dispatcher (tests inject theirs). */
  channelDeps?: ChannelDeps;
  dispatcher?: Dispatcher;
}

/** Outbox rows sent together at most: a bound on one message's size after a long outage of a channel. */
const BATCH_ROWS = 500;
/** Delivered, failed and dropped rows are kept this long for inspection, then deleted. */
const KEEP_DONE_MS = 7 * 86_400_000;

type Outcome = 'idle' | 'delivered' | 'retry' | 'failed' | 'stopped';

interface LoopContext {
  /** False for watch --once: a failed send waits for the next run, not for a timer. */
  loops: boolean;
  outbox: Outbox;
  logger: NotifyLogger;
  delivery: DeliveryOptions;
  clock: () => number;
  dispatcher: Dispatcher;
  redact: (text: string) => string;
}

function label(channel: Channel): string {
  return `channel ${channel.name} (${channel.type})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The message for a batch of rows: every pending events row at once, or one summary. */
export function messageFor(
  rows: readonly OutboxRow[],
  redact: (text: string) => string,
  now: number,
): Message {
  const first = rows[0];
  if (first === undefined) throw new Error('no rows');
  const id = `${first.kind}-${first.channel}-${first.id}-${rows.at(-1)?.id ?? first.id}`;
  if (first.kind === 'summary') {
    return summaryMessage(JSON.parse(first.payload) as UptimeReport, { id, redact });
  }
  const events = new Map<number, WatchEvent>();
  const sweeps: SweepSummary[] = [];
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as EventsPayload;
    sweeps.push(payload.sweep);
    for (const event of payload.events) events.set(event.id, event);
  }
  return eventsMessage([...events.values()], sweeps, {
    id,
    redact,
    maybeRepeat: rows.some((r) => r.sending),
    now,
  });
}

function logDropped(
  logger: NotifyLogger,
  what: string,
  dropped: DroppedRows,
  delivery: DeliveryOptions,
): void {
  logger.error(
    `notify ${what}: dropped ${plural(dropped.ids.length, 'message')} not delivered within ` +
      `${humanDuration(delivery.expireAfterMs)} (oldest queued ${formatTime(dropped.oldest)}: ${dropped.refs.join(', ')})`,
    { msg: 'notification dropped', channel: dropped.channel, refs: dropped.refs },
  );
}

/** One channel's delivery loop. */
class ChannelLoop {
  private stopped = false;
  /** Rows were added since the loop last looked. */
  private dirty = true;
  private wake: (() => void) | null = null;
  private wakeOnStop: (() => void) | null = null;
  private inFlight: AbortController | null = null;
  private failures = 0;
  private retryIn = 0;
  private done: Promise<void> | null = null;

  constructor(
    readonly channel: Channel,
    private readonly ctx: LoopContext,
  ) {}

  start(): void {
    this.done ??= this.run();
  }

  /** New rows for this channel: look now, unless waiting out a backoff. */
  poke(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Stops looping; a send in flight is abandoned (its rows stay pending, marked as maybe sent). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.inFlight?.abort(new Error('stopping'));
    this.wakeOnStop?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let outcome: Outcome;
      try {
        outcome = await this.attempt();
      } catch (error) {
        // The outbox itself failed (disk full, database locked too long): log, back off, try again.
        this.failures++;
        this.retryIn = retryDelay(this.failures, this.ctx.delivery);
        this.ctx.logger.error(
          `notify ${label(this.channel)}: the outbox cannot be used (${(error as Error).message}); ` +
            `trying again in ${humanDuration(this.retryIn)}`,
          { code: (error as { code?: unknown }).code },
        );
        outcome = 'retry';
      }
      if (this.stopped) break;
      if (outcome === 'idle') await this.sleep(null, true);
      else if (outcome === 'retry') await this.sleep(this.retryIn, false);
    }
  }

  private sleep(ms: number | null, wakeOnPoke: boolean): Promise<void> {
    if (wakeOnPoke && this.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.wakeOnStop = null;
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      this.wake = wakeOnPoke ? done : null;
      this.wakeOnStop = done;
    });
  }

  /** One look at the outbox and, when something is pending, one send. */
  async attempt(): Promise<Outcome> {
    const { outbox, logger, clock } = this.ctx;
    const { channel } = this;
    this.dirty = false;
    for (const dropped of outbox.expire(clock(), channel.name)) {
      logDropped(logger, `channel ${channel.name} (${channel.type})`, dropped, this.ctx.delivery);
    }
    const pending = outbox.pending(channel.name, BATCH_ROWS);
    if (pending.length === 0) return 'idle';
    const events = pending.filter((r) => r.kind === 'events');
    const rows = events.length > 0 ? events : pending.slice(0, 1);
    const ids = rows.map((r) => r.id);
    let message: Message;
    try {
      message = messageFor(rows, this.ctx.redact, clock());
    } catch (error) {
      outbox.markFailed(ids, clock(), `unreadable outbox row: ${(error as Error).message}`);
      logger.error(`notify ${label(channel)}: unreadable outbox rows ${ids.join(', ')} skipped`);
      return 'failed';
    }
    outbox.markSending(ids, clock());
    const abort = new AbortController();
    this.inFlight = abort;
    const started = clock();
    const what = `"${message.title}"${rows.length > 1 ? ` (${rows.length} sweeps)` : ''}`;
    try {
      const delivery = await channel.send(message, {
        dispatcher: this.ctx.dispatcher,
        signal: abort.signal,
        timeoutMs: this.ctx.delivery.sendTimeoutMs,
        redact: this.ctx.redact,
      });
      const answer = this.ctx.redact(delivery.answer);
      outbox.markDelivered(ids, clock(), answer);
      this.failures = 0;
      logger.info(`notify ${label(channel)}: delivered ${what} in ${clock() - started} ms: ${answer}`, {
        msg: 'notification delivered',
        channel: channel.name,
        type: channel.type,
        refs: rows.map((r) => r.ref),
        answer,
      });
      return 'delivered';
    } catch (thrown) {
      if (this.stopped && abort.signal.aborted) return 'stopped';
      const error = asNotifyError(thrown);
      const reason = this.ctx.redact(error.message);
      const answer = describeAnswer(error.answer);
      const fields = {
        channel: channel.name,
        type: channel.type,
        code: error.code,
        transient: error.transient,
        answer: error.answer,
        refs: rows.map((r) => r.ref),
      };
      if (error.transient) {
        this.failures++;
        this.retryIn = retryDelay(this.failures, this.ctx.delivery, error.retryAfterMs);
        outbox.markRetry(ids, `${error.code}: ${reason}`, error.code === 'US_ERR_NOTIFY_TIMEOUT');
        logger.warn(
          `notify ${label(channel)}: sending ${what} failed (${error.code}, transient): ${reason}; ` +
            (this.ctx.loops
              ? `retry ${this.failures} in ${humanDuration(this.retryIn)}`
              : 'kept for the next run'),
          { msg: 'notification failed', ...fields, retryInMs: this.retryIn },
        );
        return 'retry';
      }
      this.failures = 0;
      outbox.markFailed(ids, clock(), `${error.code}: ${reason}`);
      logger.error(
        `notify ${label(channel)}: sending ${what} failed for good (${error.code}${answer === null ? '' : `, ${answer}`}): ` +
          `${reason}; not retried: check the channel's settings`,
        { msg: 'notification failed', ...fields },
      );
      return 'failed';
    } finally {
      this.inFlight = null;
    }
  }
}

export class Notifications {
  private readonly outbox: Outbox;
  private readonly clock: () => number;
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: Agent | null;
  private config: Config;
  private loops = new Map<string, { loop: ChannelLoop; fingerprint: string }>();
  private routes = new Map<string, readonly string[]>();
  private heartbeat: Heartbeat | null = null;
  private summary: SummarySchedule | null = null;
  private started = false;

  constructor(private readonly deps: NotificationsDeps) {
    this.outbox = new Outbox(deps.db);
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

  /** After a sweep has committed: its events go into the outbox, the loops are woken, the heartbeat sent. */
  afterSweep(): void {
    this.enqueue();
    this.heartbeat?.ping();
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

  /** Stops the loops (abandoning sends in flight), the heartbeat and the summary schedule. */
  async stop(): Promise<void> {
    this.summary?.stop();
    this.heartbeat?.stop();
    await Promise.all([...this.loops.values()].map(({ loop }) => loop.stop()));
    this.loops.clear();
    await this.ownDispatcher?.destroy();
  }

  /** Rows per channel and status, for tests and tools. */
  counts() {
    return this.outbox.counts();
  }

  private route = (event: WatchEvent): readonly string[] => {
    if (event.site === null) return this.channelNames;
    return this.routes.get(event.site.key) ?? this.channelNames;
  };

  private enqueue(): void {
    const now = this.clock();
    const { perChannel, stale } = this.outbox.enqueueEvents(
      this.route,
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
    this.routes = new Map(config.sites.map((site) => [siteKey(site.url), site.notify ?? this.channelNames]));
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
    this.heartbeat?.stop();
    this.heartbeat =
      config.heartbeat === null ? null : new Heartbeat(config.heartbeat, this.deps.logger, this.dispatcher);
    this.summary?.stop();
    this.summary = null;
    if (config.summary !== null && this.deps.report !== undefined && this.started) {
      this.summary = new SummarySchedule(config.summary, this.deps.logger, () => this.queueSummary());
      this.summary.start();
    }
  }

  /** A summary tick: the report of the last 24 h, one outbox row per summary channel. */
  queueSummary(): void {
    const { report } = this.deps;
    const summary = this.config.summary;
    if (report === undefined || summary === null) return;
    const now = this.clock();
    const channels = (summary.channels ?? this.channelNames).filter((name) => name in this.config.channels);
    // One summary per channel and minute, however often the tick fires.
    const ref = `summary:${new Date(Math.floor(now / 60_000) * 60_000).toISOString()}`;
    const payload = JSON.stringify(report(now - 86_400_000, now));
    this.outbox.enqueue('summary', channels, ref, payload, now, this.deps.delivery.expireAfterMs);
    this.deps.logger.info(`notify: uptime summary queued for ${channels.join(', ')}`, {
      msg: 'summary queued',
    });
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

/** The host name test messages give, so the reader knows which monitor sent them. */
export const HOST = hostname();
