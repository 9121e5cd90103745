import { describe, expect, it } from 'vitest';
import type { Check, SiteEvent, SiteState, Thresholds } from '../../src/core/state.js';
import { transition } from '../../src/watch/transitions.js';

const QUICK: Check = { ok: true, kind: 'ok', status: 200, error: null };
const SLOW: Check = {
  ok: true,
  kind: 'ok',
  status: 200,
  error: null,
  slow: 'response took 900 ms, over maxResponseMs 500 ms',
};
const FAIL: Check = { ok: false, kind: 'http-status', status: 503, error: 'HTTP 503' };
const SLOW_CAUSE = { kind: 'ok', status: 200, message: 'response took 900 ms, over maxResponseMs 500 ms' };
const ONE: Thresholds = { failureThreshold: 1, successThreshold: 1, repeatAfter: null };
const MIN = 60_000;

/** Checks one minute apart from t = 0: every event, and the last state. */
function run(checks: Check[], thresholds: Thresholds = ONE) {
  let state: SiteState | null = null;
  const events: SiteEvent[] = [];
  for (const [i, check] of checks.entries()) {
    const t = transition(state, check, thresholds, i * MIN);
    state = t.next;
    if (t.event) events.push(t.event);
    events.push(...(t.more ?? []));
  }
  return { state: state as SiteState, events };
}

describe('degraded: a state of its own while up', () => {
  it('a slow check makes an up site degraded; a quick one recovers it, saying for how long', () => {
    const { events, state } = run([QUICK, SLOW, SLOW, QUICK]);
    expect(events).toEqual([
      { type: 'degraded', at: MIN, since: MIN, cause: SLOW_CAUSE },
      { type: 'recovered', at: 3 * MIN, since: MIN, until: 3 * MIN, forMs: 2 * MIN, cause: SLOW_CAUSE },
    ]);
    expect(state.status).toBe('up');
    expect(state).not.toHaveProperty('slowness');
  });

  it('uses the same thresholds as down and up, dated from the first slow and the first quick check', () => {
    const thresholds = { ...ONE, failureThreshold: 3, successThreshold: 2 };
    const { events } = run(
      [QUICK, SLOW, SLOW, QUICK, SLOW, SLOW, SLOW, QUICK, SLOW, QUICK, QUICK],
      thresholds,
    );
    expect(events).toEqual([
      { type: 'degraded', at: 6 * MIN, since: 4 * MIN, cause: SLOW_CAUSE },
      // The quick check at 7 is cut short by a slow one; the streak that counts starts at 9.
      { type: 'recovered', at: 10 * MIN, since: 4 * MIN, until: 9 * MIN, forMs: 5 * MIN, cause: SLOW_CAUSE },
    ]);
  });

  it('a site first seen slow becomes degraded (there is nothing to recover from, but slowness is news)', () => {
    expect(run([SLOW]).events).toEqual([{ type: 'degraded', at: 0, since: 0, cause: SLOW_CAUSE }]);
  });

  it('an outage ends it without a recovered event; the site coming back slow is degraded again with its up', () => {
    const { events } = run([SLOW, FAIL, SLOW]);
    expect(events.map((e) => e.type)).toEqual(['degraded', 'down', 'up', 'degraded']);
  });

  it('a failure below failureThreshold keeps the site degraded and breaks the streaks', () => {
    const thresholds = { ...ONE, failureThreshold: 2, successThreshold: 2 };
    const { events, state } = run([SLOW, SLOW, QUICK, FAIL, QUICK], thresholds);
    expect(events.map((e) => e.type)).toEqual(['degraded']);
    expect(state.slowness).toMatchObject({ since: 0, quick: 1, quickSince: 4 * MIN });
  });

  it('a site never slow keeps the state it always had (no new keys)', () => {
    const t = transition(null, QUICK, ONE, 0);
    expect(Object.keys(t.next).sort()).toEqual(
      ['cause', 'failures', 'lastAlertAt', 'since', 'status', 'streakStart', 'successes'].sort(),
    );
    expect(t).toEqual({ next: t.next, event: null });
  });
});
