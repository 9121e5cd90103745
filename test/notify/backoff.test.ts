import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY, deliveryFrom, retryDelay } from '../../src/notify/options.js';

describe('retry backoff', () => {
  it('retries first within 5 s, doubles, and stops growing at 5 minutes', () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelay(i + 1, DEFAULT_DELIVERY));
    expect(delays).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000,
    ]);
    expect(retryDelay(10_000, DEFAULT_DELIVERY)).toBe(300_000);
  });

  it("waits at least a server's Retry-After, within the cap", () => {
    expect(retryDelay(1, DEFAULT_DELIVERY, 30_000)).toBe(30_000);
    expect(retryDelay(1, DEFAULT_DELIVERY, 1_000)).toBe(5_000);
    expect(retryDelay(1, DEFAULT_DELIVERY, 3_600_000)).toBe(300_000);
  });

  it('takes the command-line values, keeping the cap at least the first delay', () => {
    expect(deliveryFrom({})).toEqual(DEFAULT_DELIVERY);
    expect(deliveryFrom({ retryFirst: 100, retryMax: 50, sendTimeout: 2000, notifyExpire: 1000 })).toEqual({
      sendTimeoutMs: 2000,
      retryFirstMs: 100,
      retryMaxMs: 100,
      expireAfterMs: 1000,
    });
  });
});
