import type { Result } from '../../src/core/result.js';

/**
 * A Result as the probe would make it, for tests of what consumes results (reports, the store, the
 * queue): up (200) or down (503, http-status), with fixed timings; `overrides` for anything else.
 */
export function fakeResult(url: string, ok: boolean, overrides: Partial<Result> = {}): Result {
  return {
    url,
    name: null,
    ok,
    status: ok ? 200 : 503,
    method: 'HEAD',
    kind: ok ? 'ok' : 'http-status',
    error: ok ? null : 'HTTP 503, expected 200-399',
    attempts: 1,
    redirects: 0,
    timings: { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 3, totalMs: 12 },
    durationMs: 12,
    checkedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}
