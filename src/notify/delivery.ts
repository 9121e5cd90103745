/**
 * One channel's delivery loop: outbox rows -> one message -> the channel's send, each send bounded by a
 * timeout. A slow or dead channel delays only its own loop.
 *
 * A loop sends everything pending for its channel as ONE message: after an outage of the mail server,
 * a site that went down and came back meanwhile arrives as one "was down from t1 to t2" entry, and a
 * thousand pending sweeps arrive as one message, not a thousand.
 *
 * A channel that takes one event per site (incident tools, `grouping: 'site'`) gets its rows one at a
 * time instead, in order, so that a site's trigger always goes before its resolve.
 *
 * Rows held back by quiet hours are not due until their time: the loop sleeps until the earliest of
 * them (or until poked), then sends everything due as one message.
 *
 * Transient failures (network, SMTP 4xx, HTTP 5xx/429, timeouts) are retried with exponential backoff
 * until the message expires; permanent ones (SMTP 5xx, other HTTP 4xx) are logged with the server's
 * answer and not retried.
 */

import type { Dispatcher } from 'undici';
import type { Logger } from '../core/logger.js';
import { humanDuration } from '../util/time.js';
import { asNotifyError, describeAnswer } from './errors.js';
import type { Redact } from './fold.js';
import type { Channel } from './index.js';
import type { Message } from './message.js';
import { type DeliveryOptions, retryDelay } from './options.js';
import { type DroppedRows, messageFor, type Outbox } from './outbox.js';
import { formatTime } from './text.js';

/** Outbox rows sent together at most: a bound on one message's size after a long outage of a channel. */
const BATCH_ROWS = 500;
/** Longest sleep while rows are held: the loop looks again at least this often (clock changes, suspends). */
const HOLD_CHECK_MS = 5 * 60_000;

/** `held`: nothing is due now, but rows wait for the end of quiet hours. */
export type Outcome = 'idle' | 'held' | 'delivered' | 'retry' | 'failed' | 'stopped';

export interface LoopContext {
  /** False for watch --once: a failed send waits for the next run, not for a timer. */
  loops: boolean;
  outbox: Outbox;
  logger: Logger;
  delivery: DeliveryOptions;
  clock: () => number;
  dispatcher: Dispatcher;
  redact: Redact;
}

function label(channel: Channel): string {
  return `channel ${channel.name} (${channel.type})`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function logDropped(
  logger: Logger,
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

export class ChannelLoop {
  private stopped = false;
  /** Rows were added since the loop last looked. */
  private dirty = true;
  private wake: (() => void) | null = null;
  private wakeOnStop: (() => void) | null = null;
  private inFlight: AbortController | null = null;
  private failures = 0;
  private retryIn = 0;
  /** When the earliest held row becomes due (after an attempt that returned `held`). */
  private heldUntil: number | null = null;
  private done: Promise<void> | null = null;
  /** Asleep with nothing pending and no retry due: only new rows (poke) or stop wake it. */
  private isIdle = false;
  private idleWaiters: (() => void)[] = [];

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
    this.isIdle = false;
    this.wake?.();
  }

  /** When held rows become due, after an attempt that found only those; null otherwise. */
  get holdingUntil(): number | null {
    return this.heldUntil;
  }

  /**
   * Resolves once the loop has nothing left to do by itself: everything pending was sent (or failed
   * for good, or expired) and no retry is due. At once for a loop not running (watch --once, stopped).
   * A loop in backoff is not idle: its retry is still to come. Rows held back by quiet hours do not
   * count: nothing is sent for them before their time.
   */
  idle(): Promise<void> {
    if (this.isIdle || this.done === null || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops looping; a send in flight is abandoned (its rows stay pending, marked as maybe sent). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.inFlight?.abort(new Error('stopping'));
    this.wakeOnStop?.();
    await this.done;
    this.settleIdle();
  }

  private settleIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
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
      else if (outcome === 'held') {
        const wait = Math.max(0, (this.heldUntil ?? 0) - this.ctx.clock());
        await this.sleep(Math.min(wait, HOLD_CHECK_MS), true, true);
      } else if (outcome === 'retry') await this.sleep(this.retryIn, false);
    }
  }

  private sleep(ms: number | null, wakeOnPoke: boolean, idle = ms === null): Promise<void> {
    if (wakeOnPoke && this.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.wakeOnStop = null;
        this.isIdle = false;
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      this.wake = wakeOnPoke ? done : null;
      this.wakeOnStop = done;
      if (idle) {
        this.isIdle = true;
        this.settleIdle();
      }
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
    const now = clock();
    const pending = outbox.pending(channel.name, BATCH_ROWS, now);
    this.heldUntil = null;
    if (pending.length === 0) {
      this.heldUntil = outbox.nextDue(channel.name, now);
      return this.heldUntil === null ? 'idle' : 'held';
    }
    const events = pending.filter((r) => r.kind === 'events');
    // One event per site: the oldest row alone, so that each is its own send, in order.
    const rows =
      channel.grouping === 'site' ? pending.slice(0, 1) : events.length > 0 ? events : pending.slice(0, 1);
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
