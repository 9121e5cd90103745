/**
 * How the daemon delivers: send timeout, retry backoff and expiry. Declared once as commander options
 * (help text and docs/NOTIFY.md follow these); tests pass short values through the same options.
 */

import { InvalidArgumentError, Option } from 'commander';
import { formatDuration, parseDuration } from '../util/duration.js';

export interface DeliveryOptions {
  /** Longest a single send may take, connection to answer. */
  sendTimeoutMs: number;
  /** Wait before the first retry of a transient failure; doubled each time up to `retryMaxMs`. */
  retryFirstMs: number;
  retryMaxMs: number;
  /** A message not delivered this long after its sweep is dropped (and the drop logged). */
  expireAfterMs: number;
}

export const DEFAULT_DELIVERY: Readonly<DeliveryOptions> = Object.freeze({
  sendTimeoutMs: 10_000,
  retryFirstMs: 5_000,
  retryMaxMs: 5 * 60_000,
  expireAfterMs: 24 * 3_600_000,
});

/** Delay before retry number `failures` (1 for the first retry), honouring a server's Retry-After. */
export function retryDelay(
  failures: number,
  opts: DeliveryOptions,
  retryAfterMs: number | null = null,
): number {
  const doubled = opts.retryFirstMs * 2 ** Math.min(Math.max(0, failures - 1), 30);
  const delay = Math.min(opts.retryMaxMs, doubled);
  return retryAfterMs === null ? delay : Math.max(delay, Math.min(retryAfterMs, opts.retryMaxMs));
}

function durationArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      throw new InvalidArgumentError(
        `${name} must be a duration from ${formatDuration(min)} to ${formatDuration(max)}, such as 10s, 5m or 24h.`,
      );
    }
    return ms;
  };
}

const DAY = 86_400_000;

export const deliveryOptions = {
  sendTimeout: () =>
    new Option('--send-timeout <duration>', 'notifications: time allowed for one send to a channel')
      .default(DEFAULT_DELIVERY.sendTimeoutMs, formatDuration(DEFAULT_DELIVERY.sendTimeoutMs))
      .argParser(durationArg('--send-timeout', 1, 10 * 60_000)),
  retryFirst: () =>
    new Option(
      '--retry-first <duration>',
      'notifications: wait before retrying a failed send; doubles each time',
    )
      .default(DEFAULT_DELIVERY.retryFirstMs, formatDuration(DEFAULT_DELIVERY.retryFirstMs))
      .argParser(durationArg('--retry-first', 1, DAY)),
  retryMax: () =>
    new Option('--retry-max <duration>', 'notifications: longest wait between retries')
      .default(DEFAULT_DELIVERY.retryMaxMs, formatDuration(DEFAULT_DELIVERY.retryMaxMs))
      .argParser(durationArg('--retry-max', 1, DAY)),
  expire: () =>
    new Option(
      '--notify-expire <duration>',
      'notifications: give up (and log it) on a message not delivered in this time',
    )
      .default(DEFAULT_DELIVERY.expireAfterMs, formatDuration(DEFAULT_DELIVERY.expireAfterMs))
      .argParser(durationArg('--notify-expire', 1000, 30 * DAY)),
};

/** The flags as commander hands them over, turned into DeliveryOptions. */
export function deliveryFrom(flags: {
  sendTimeout?: number;
  retryFirst?: number;
  retryMax?: number;
  notifyExpire?: number;
}): DeliveryOptions {
  return {
    sendTimeoutMs: flags.sendTimeout ?? DEFAULT_DELIVERY.sendTimeoutMs,
    retryFirstMs: flags.retryFirst ?? DEFAULT_DELIVERY.retryFirstMs,
    retryMaxMs: Math.max(flags.retryMax ?? DEFAULT_DELIVERY.retryMaxMs, flags.retryFirst ?? 0),
    expireAfterMs: flags.notifyExpire ?? DEFAULT_DELIVERY.expireAfterMs,
  };
}
