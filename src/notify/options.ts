/**
 * How the daemon delivers: send timeout, retry backoff and expiry. `watch` declares them as options
 * (src/cli-options.ts); tests pass short values through the same options.
 */

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
