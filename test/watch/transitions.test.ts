import { describe, expect, it } from 'vitest';
import type { Check, SiteState, Thresholds } from '../../src/core/state.js';
import { FIRST_SEEN, transition } from '../../src/watch/transitions.js';

const OK: Check = { ok: true, kind: 'ok', status: 200, error: null };
const FAIL: Check = { ok: false, kind: 'http-status', status: 503, error: 'HTTP 503 Service Unavailable' };
const TIMEOUT: Check = { ok: false, kind: 'timeout', status: null, error: 'no answer within 10 s' };
const CAUSE_503 = { kind: 'http-status', status: 503, message: 'HTTP 503 Service Unavailable' };
const CAUSE_TIMEOUT = { kind: 'timeout', status: null, message: 'no answer within 10 s' };

const ONE: Thresholds = { failureThreshold: 1, successThreshold: 1, repeatAfter: null };
const MIN = 60_000;

/** Feeds checks one minute apart, from t = 0, and collects the events. */
function run(checks: Check[], thresholds: Thresholds = ONE, start: SiteState | null = null) {
  let state = start;
  const events = [];
  for (const [i, check] of checks.entries()) {
    const t = transition(state, check, thresholds, i * MIN);
    state = t.next;
    if (t.event) events.push(t.event);
  }
  return { state: state as SiteState, events };
}

const UP_SINCE_0: SiteState = {
  status: 'up',
  since: 0,
  failures: 0,
  successes: 1,
  streakStart: 0,
  lastAlertAt: null,
  cause: null,
};

describe('a site seen for the first time', () => {
  it('that is up becomes up with no event', () => {
    expect(transition(null, OK, ONE, 1000)).toEqual({
      next: { ...UP_SINCE_0, since: 1000, streakStart: 1000 },
      event: null,
    });
  });

  it('that is up becomes up at once even when successThreshold is higher: there is nothing to recover from', () => {
    const { state, events } = run([OK], { ...ONE, successThreshold: 3 });
    expect(state.status).toBe('up');
    expect(events).toEqual([]);
  });

  it('that is down raises down with the cause', () => {
    expect(transition(null, FAIL, ONE, 1000)).toEqual({
      next: {
        status: 'down',
        since: 1000,
        failures: 1,
        successes: 0,
        streakStart: 1000,
        lastAlertAt: 1000,
        cause: CAUSE_503,
      },
      event: { type: 'down', at: 1000, downSince: 1000, cause: CAUSE_503 },
    });
  });

  it('that fails below failureThreshold stays unknown, then goes down dated from its first failure', () => {
    const thresholds = { ...ONE, failureThreshold: 3 };
    const first = transition(null, FAIL, thresholds, 0);
    expect(first.next.status).toBe('unknown');
    expect(first.event).toBeNull();
    const { state, events } = run([FAIL, FAIL, TIMEOUT], thresholds);
    expect(state).toMatchObject({ status: 'down', since: 0, failures: 3, cause: CAUSE_TIMEOUT });
    expect(events).toEqual([{ type: 'down', at: 2 * MIN, downSince: 0, cause: CAUSE_TIMEOUT }]);
  });

  it('that fails below the threshold and then answers becomes up with no event', () => {
    const { state, events } = run([FAIL, OK], { ...ONE, failureThreshold: 2 });
    expect(state).toMatchObject({ status: 'up', since: MIN, failures: 0, successes: 1, cause: null });
    expect(events).toEqual([]);
  });

  it('starts from FIRST_SEEN, which is frozen', () => {
    expect(FIRST_SEEN.status).toBe('unknown');
    expect(Object.isFrozen(FIRST_SEEN)).toBe(true);
    expect(transition(FIRST_SEEN, OK, ONE, 5)).toEqual(transition(null, OK, ONE, 5));
  });
});

describe('failureThreshold', () => {
  it('1: one failed sweep takes an up site down', () => {
    const { events } = run([OK, FAIL]);
    expect(events).toEqual([{ type: 'down', at: MIN, downSince: MIN, cause: CAUSE_503 }]);
  });

  it('3: two failures and a success raise nothing and reset the count', () => {
    const { state, events } = run([OK, FAIL, FAIL, OK, FAIL, FAIL], { ...ONE, failureThreshold: 3 });
    expect(events).toEqual([]);
    expect(state).toMatchObject({ status: 'up', since: 0, failures: 2, streakStart: 4 * MIN });
  });

  it('3: the third consecutive failure raises down, dated from the first', () => {
    const { state, events } = run([OK, FAIL, FAIL, FAIL], { ...ONE, failureThreshold: 3 });
    expect(events).toEqual([{ type: 'down', at: 3 * MIN, downSince: MIN, cause: CAUSE_503 }]);
    expect(state).toMatchObject({ status: 'down', since: MIN, lastAlertAt: 3 * MIN });
  });

  it('keeps an up site up while it fails below the threshold, remembering the latest cause', () => {
    const t = transition(UP_SINCE_0, TIMEOUT, { ...ONE, failureThreshold: 2 }, MIN);
    expect(t.event).toBeNull();
    expect(t.next).toMatchObject({ status: 'up', since: 0, failures: 1, successes: 0, cause: CAUSE_TIMEOUT });
  });

  it('a lowered threshold (config reload) takes effect on the next failure', () => {
    const { state } = run([OK, FAIL, FAIL], { ...ONE, failureThreshold: 5 });
    const t = transition(state, FAIL, { ...ONE, failureThreshold: 2 }, 3 * MIN);
    expect(t.event).toEqual({ type: 'down', at: 3 * MIN, downSince: MIN, cause: CAUSE_503 });
  });
});

describe('down', () => {
  it('raises down once, however long it stays down (no repeatAfter)', () => {
    const { state, events } = run([OK, FAIL, FAIL, FAIL, FAIL]);
    expect(events.map((e) => e.type)).toEqual(['down']);
    expect(state).toMatchObject({ status: 'down', since: MIN, failures: 4, lastAlertAt: MIN });
  });

  it('keeps the latest cause while down', () => {
    const { state } = run([FAIL, TIMEOUT]);
    expect(state.cause).toEqual(CAUSE_TIMEOUT);
  });

  it('up after one success (successThreshold 1) with how long it was down', () => {
    const { state, events } = run([OK, FAIL, FAIL, OK]);
    expect(events[1]).toEqual({
      type: 'up',
      at: 3 * MIN,
      downSince: MIN,
      upSince: 3 * MIN,
      downForMs: 2 * MIN,
      cause: CAUSE_503,
    });
    expect(state).toEqual({
      status: 'up',
      since: 3 * MIN,
      failures: 0,
      successes: 1,
      streakStart: 3 * MIN,
      lastAlertAt: null,
      cause: null,
    });
  });

  it('successThreshold 3: up on the third success, dated from the first', () => {
    const { state, events } = run([FAIL, OK, OK, OK], { ...ONE, successThreshold: 3 });
    expect(events.map((e) => e.type)).toEqual(['down', 'up']);
    expect(events[1]).toMatchObject({ type: 'up', at: 3 * MIN, downSince: 0, upSince: MIN, downForMs: MIN });
    expect(state).toMatchObject({ status: 'up', since: MIN, successes: 3 });
  });

  it('successThreshold 3: a failure between successes restarts the count and keeps the site down', () => {
    const { state, events } = run([FAIL, OK, OK, FAIL, OK, OK], { ...ONE, successThreshold: 3 });
    expect(events.map((e) => e.type)).toEqual(['down']);
    expect(state).toMatchObject({
      status: 'down',
      since: 0,
      successes: 2,
      streakStart: 4 * MIN,
      cause: CAUSE_503,
    });
  });

  it('a state read back after a restart continues the same outage: recovery raised, no second down', () => {
    const before = run([OK, FAIL]).state;
    const restored = JSON.parse(JSON.stringify(before)) as SiteState;
    expect(transition(restored, FAIL, ONE, 2 * MIN).event).toBeNull();
    expect(transition(restored, OK, ONE, 2 * MIN).event).toMatchObject({
      type: 'up',
      downSince: MIN,
      downForMs: MIN,
    });
  });
});

describe('still-down reminders (repeatAfter)', () => {
  const every3 = { ...ONE, repeatAfter: 3 * MIN };

  it('are raised each time repeatAfter has passed since the last alert', () => {
    const { events } = run([FAIL, FAIL, FAIL, FAIL, FAIL, FAIL, FAIL], every3);
    expect(events).toEqual([
      { type: 'down', at: 0, downSince: 0, cause: CAUSE_503 },
      { type: 'still-down', at: 3 * MIN, downSince: 0, downForMs: 3 * MIN, cause: CAUSE_503 },
      { type: 'still-down', at: 6 * MIN, downSince: 0, downForMs: 6 * MIN, cause: CAUSE_503 },
    ]);
  });

  it('count from the down event, not from the first failure, when failureThreshold delays it', () => {
    const { events } = run([FAIL, FAIL, FAIL, FAIL, FAIL], { ...every3, failureThreshold: 2 });
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['down', MIN],
      ['still-down', 4 * MIN],
    ]);
  });

  it('carry the current cause', () => {
    const { events } = run([FAIL, TIMEOUT, TIMEOUT, TIMEOUT], every3);
    expect(events[1]).toMatchObject({ type: 'still-down', cause: CAUSE_TIMEOUT });
  });

  it('are not raised while recovering below successThreshold, and resume counting from the last alert', () => {
    const { events } = run([FAIL, OK, OK, FAIL], { ...every3, successThreshold: 3 });
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['down', 0],
      ['still-down', 3 * MIN],
    ]);
  });

  it('stop with the recovery and start again with the next outage', () => {
    const { events } = run([FAIL, OK, FAIL, FAIL, FAIL, FAIL], every3);
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['down', 0],
      ['up', MIN],
      ['down', 2 * MIN],
      ['still-down', 5 * MIN],
    ]);
  });

  it('are never raised without repeatAfter', () => {
    const { events } = run(Array.from({ length: 50 }, () => FAIL));
    expect(events.map((e) => e.type)).toEqual(['down']);
  });

  it('fall back to the outage start when a stored state has no last alert', () => {
    const down: SiteState = {
      ...UP_SINCE_0,
      status: 'down',
      since: 0,
      successes: 0,
      failures: 1,
      cause: CAUSE_503,
    } as SiteState;
    expect(transition(down, FAIL, every3, 3 * MIN).event).toMatchObject({
      type: 'still-down',
      downForMs: 3 * MIN,
    });
  });
});

describe('up', () => {
  it('stays up with no event and clears the cause of a failure below the threshold', () => {
    const { state, events } = run([OK, FAIL, OK], { ...ONE, failureThreshold: 2 });
    expect(events).toEqual([]);
    expect(state).toMatchObject({ status: 'up', since: 0, failures: 0, successes: 1, cause: null });
  });

  it('counts successes and keeps the start of the streak', () => {
    const { state } = run([OK, OK, OK]);
    expect(state).toMatchObject({ status: 'up', since: 0, successes: 3, streakStart: 0 });
  });

  it('is pure: the previous state is not changed', () => {
    const previous = { ...UP_SINCE_0 };
    transition(previous, FAIL, ONE, MIN);
    expect(previous).toEqual(UP_SINCE_0);
  });
});
