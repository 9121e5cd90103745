import { describe, expect, it } from 'vitest';
import type { Check, Cover, SiteEvent, SiteState, Thresholds } from '../../src/core/state.js';
import { quieted } from '../../src/watch/quiet.js';
import { transition } from '../../src/watch/transitions.js';

const OK: Check = { ok: true, kind: 'ok', status: 200, error: null };
const FAIL: Check = { ok: false, kind: 'http-status', status: 503, error: 'HTTP 503 Service Unavailable' };
const SLOW: Check = { ...OK, slow: 'answered in 900 ms, over maxResponseMs 500' };
const ONE: Thresholds = { failureThreshold: 1, successThreshold: 1, repeatAfter: null };
const MIN = 60_000;

/** A window from minute `from` to minute `to` (its end), and a silence from minute `since`. */
const windowed = (from: number, to: number) => (i: number) =>
  i >= from && i < to ? { name: 'deploy', end: to * MIN } : null;
const silenced = (from: number, to: number) => (i: number) =>
  i >= from && i < to ? { since: from * MIN } : null;
const never = () => null;

interface Step {
  check: Check;
  events: SiteEvent[];
  silenced: number | undefined;
  state: SiteState;
}

/** Checks one minute apart from t = 0, through the state machine and the quiet step. */
function run(
  checks: Check[],
  cover: { window?: (i: number) => Cover['window']; silence?: (i: number) => Cover['silence'] },
  thresholds: Thresholds = ONE,
) {
  let state: SiteState | null = null;
  const steps: Step[] = [];
  for (const [i, check] of checks.entries()) {
    const at = i * MIN;
    const t = quieted(
      state,
      transition(state, check, thresholds, at),
      { window: (cover.window ?? never)(i), silence: (cover.silence ?? never)(i) },
      at,
    );
    state = t.next;
    const events = t.event === null ? [] : [t.event, ...(t.more ?? [])];
    steps.push({ check, events, silenced: t.silenced, state });
  }
  const all = steps.flatMap((s, i) => s.events.map((e) => ({ minute: i, ...e, silenced: s.silenced })));
  return { steps, all, state: state as unknown as SiteState };
}

describe('a maintenance window', () => {
  it('raises nothing for a site that fails only inside it', () => {
    const { all, state } = run([OK, FAIL, FAIL, OK, OK], { window: windowed(1, 4) });
    expect(all).toEqual([]);
    expect(state.status).toBe('up');
    expect(state.quiet).toBeUndefined();
  });

  it('raises one down at its end for a site failing across it, dated from the end and naming the window', () => {
    const { all, state } = run([OK, FAIL, FAIL, FAIL, FAIL], { window: windowed(1, 3) });
    expect(all).toEqual([
      expect.objectContaining({ minute: 3, type: 'down', downSince: 3 * MIN, maintenance: 'deploy' }),
    ]);
    expect(state).toMatchObject({ status: 'down', since: 3 * MIN, lastAlertAt: 3 * MIN });
    expect(state.quiet).toBeUndefined();
  });

  it('dates the outage from the end of the window even when the first check after it is later', () => {
    const { all } = run([OK, FAIL, FAIL, FAIL, FAIL, FAIL], { window: windowed(1, 3) }, { ...ONE });
    expect(all.filter((e) => e.type === 'down')).toHaveLength(1);
  });

  it('gives no new down to a site down (and told) before it, and its up when it recovers inside', () => {
    const { all } = run([FAIL, FAIL, OK, OK, OK], { window: windowed(1, 4) });
    expect(all.map((e) => [e.minute, e.type])).toEqual([
      [0, 'down'],
      [4, 'up'],
    ]);
    expect(all[1]).toMatchObject({ downSince: 0, upSince: 2 * MIN, downForMs: 2 * MIN });
  });

  it('gives a site down before it and still down after it nothing new, and its up later', () => {
    const { all } = run([FAIL, FAIL, FAIL, FAIL, OK], { window: windowed(1, 3) });
    expect(all.map((e) => [e.minute, e.type])).toEqual([
      [0, 'down'],
      [4, 'up'],
    ]);
    expect(all[1]).toMatchObject({ downSince: 0 });
  });

  it('raises no still-down reminder inside it', () => {
    const repeat = { ...ONE, repeatAfter: MIN };
    const { all } = run([FAIL, FAIL, FAIL, FAIL], { window: windowed(1, 3) }, repeat);
    expect(all.map((e) => [e.minute, e.type])).toEqual([
      [0, 'down'],
      [3, 'still-down'],
    ]);
  });

  it('holds back degraded until after it: slow checks inside it do not count', () => {
    const two = { ...ONE, failureThreshold: 2 };
    const { all } = run([OK, SLOW, SLOW, SLOW, SLOW], { window: windowed(1, 3) }, two);
    expect(all.map((e) => [e.minute, e.type])).toEqual([[4, 'degraded']]);
  });

  it('says nothing at its end for a site that is up, and forgets it', () => {
    const { all, state } = run([OK, OK, OK], { window: windowed(0, 2) });
    expect(all).toEqual([]);
    expect(state.quiet).toBeUndefined();
  });
});

describe('a silence', () => {
  it('records the events of the silenced checks but marks them silenced', () => {
    const { steps } = run([OK, FAIL, OK], { silence: silenced(1, 3) });
    expect(steps[1]?.events.map((e) => e.type)).toEqual(['down']);
    expect(steps[1]?.silenced).toBe(MIN);
    expect(steps[2]?.events.map((e) => e.type)).toEqual(['up']);
    expect(steps[2]?.silenced).toBe(MIN);
    expect(steps[2]?.state.quiet).toEqual({ silence: { since: MIN } });
  });

  it('sends one down when it ends with the site still down, saying since when it was silenced', () => {
    const repeat = { ...ONE, repeatAfter: MIN };
    const { all } = run([OK, FAIL, FAIL, FAIL, FAIL], { silence: silenced(1, 3) }, repeat);
    const sent = all.filter((e) => e.silenced === undefined);
    expect(sent).toEqual([
      expect.objectContaining({ minute: 3, type: 'down', downSince: MIN, silencedSince: MIN }),
      expect.objectContaining({ minute: 4, type: 'still-down' }),
    ]);
  });

  it('sends nothing when the site came back inside it', () => {
    const { all } = run([OK, FAIL, OK, OK], { silence: silenced(1, 3) });
    expect(all.filter((e) => e.silenced === undefined)).toEqual([]);
  });

  it('sends nothing new for a site whose down went out before it', () => {
    const { all } = run([FAIL, FAIL, FAIL, OK], { silence: silenced(1, 3) });
    expect(all.filter((e) => e.silenced === undefined).map((e) => [e.minute, e.type])).toEqual([
      [0, 'down'],
      [3, 'up'],
    ]);
  });

  it('holds the `up` of an unsent down when the site recovers at the check the silence ends on', () => {
    const { all } = run([OK, FAIL, OK], { silence: silenced(1, 2) });
    expect(all.filter((e) => e.silenced === undefined)).toEqual([]);
  });

  it('under a window too: the down at the window end is silenced, then sent once when the silence ends', () => {
    const { all } = run([OK, FAIL, FAIL, FAIL, FAIL], { window: windowed(1, 2), silence: silenced(1, 3) });
    expect(all.map((e) => [e.minute, e.type, e.silenced])).toEqual([
      [2, 'down', MIN],
      [3, 'down', undefined],
    ]);
  });

  it('a silence ending inside a window sends nothing of its own: the window end decides', () => {
    const { all } = run([OK, FAIL, FAIL, FAIL, FAIL], { window: windowed(2, 4), silence: silenced(1, 3) });
    expect(all.map((e) => [e.minute, e.type, e.silenced])).toEqual([
      [1, 'down', MIN],
      [4, 'down', undefined],
    ]);
  });
});

describe('without any cover', () => {
  it('is the transition as it was', () => {
    const t = transition(null, FAIL, ONE, 0);
    expect(quieted(null, t, { window: null, silence: null }, 0)).toBe(t);
  });
});
