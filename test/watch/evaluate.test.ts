import { describe, expect, it } from 'vitest';
import type { Kind } from '../../src/core/result.js';
import type { Check, SiteState } from '../../src/core/state.js';
import {
  DEFAULT_OFFLINE_RULE,
  evaluateSweep,
  looksOffline,
  type SiteCheck,
  tallyOffline,
} from '../../src/watch/evaluate.js';

const thresholds = { failureThreshold: 1, successThreshold: 1, repeatAfter: null };
const UP: SiteState = {
  status: 'up',
  since: 0,
  failures: 0,
  successes: 1,
  streakStart: 0,
  lastAlertAt: null,
  cause: null,
};

/** A site's check as the daemon builds it from a result. */
function site(check: Check, noResponse: boolean, previous: SiteState | null = UP): SiteCheck {
  return { previous, check, noResponse, thresholds, at: 1000 };
}
const ok = () => site({ ok: true, kind: 'ok', status: 200, error: null }, false);
const status = (code: number) =>
  site({ ok: false, kind: 'http-status', status: code, error: `HTTP ${code}, expected 200-399` }, false);
/** dns, refused, reset, tls, or a timeout before connecting: no HTTP response at all. */
const none = (kind: Kind = 'refused') => site({ ok: false, kind, status: null, error: kind }, true);
/** A timeout after the connection was made: no HTTP status, but the network worked. */
const hung = () => site({ ok: false, kind: 'timeout', status: null, error: 'no headers' }, false);

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);
const offline = (checks: SiteCheck[], rule = DEFAULT_OFFLINE_RULE) =>
  looksOffline(tallyOffline(checks), rule);

describe('looksOffline (default: 80% or more of at least 5 checked sites without any response)', () => {
  it.each([
    ['5 refused of 5', [...times(5, none)], true],
    ['4 refused, 1 hung after connecting', [...times(4, none), hung()], true],
    ['8 of 10, the rest hung after connecting', [...times(8, none), ...times(2, hung)], true],
    ['7 of 10, the rest hung after connecting', [...times(7, none), ...times(3, hung)], false],
    ['4 of 4: fewer than minSites', [...times(4, none)], false],
    ['no check at all', [], false],
  ])('%s -> %s', (_what, checks, expected) => {
    expect(offline(checks)).toBe(expected);
  });

  it('never when any site answered with an HTTP status, 503 included', () => {
    expect(offline([...times(9, none), ok()])).toBe(false);
    expect(offline([...times(9, none), status(503)])).toBe(false);
    expect(offline([...times(999, none), status(404)])).toBe(false);
  });

  it('never for failures that came with an HTTP response, however many', () => {
    // The case: 5 sites behind one backend, 4 answering 503 and 1 answering 200.
    expect(offline([...times(4, () => status(503)), ok()])).toBe(false);
    expect(offline(times(5, () => status(503)))).toBe(false);
    expect(offline(times(5, hung))).toBe(false);
  });

  it('never when the rule is off, and by a custom rule otherwise', () => {
    expect(looksOffline(tallyOffline(times(10, none)), null)).toBe(false);
    expect(offline([none(), hung()], { ratio: 0.5, minSites: 2 })).toBe(true);
    expect(offline([none(), hung(), hung()], { ratio: 0.5, minSites: 2 })).toBe(false);
  });

  it('counts the failures without a response by kind', () => {
    const tally = tallyOffline([...times(5, () => none('dns')), ...times(3, none), hung()]);
    expect(tally).toEqual({ checked: 9, noResponse: 8, kinds: { dns: 5, refused: 3 }, answered: false });
  });
});

describe('evaluateSweep', () => {
  it('applies each site transition when the monitor is online', () => {
    const verdict = evaluateSweep(
      [none(), ...times(4, ok)],
      { offlineSince: null },
      DEFAULT_OFFLINE_RULE,
      2000,
    );
    expect(verdict.offline).toBe(false);
    expect(verdict.transitions.map((t) => t?.event?.type ?? null)).toEqual(['down', null, null, null, null]);
    expect(verdict.monitorEvent).toBeNull();
    expect(verdict.monitor).toEqual({ offlineSince: null });
  });

  it('alerts every failing site behind a shared backend: 4 answering 503, 1 answering 200', () => {
    const checks = [...times(4, () => status(503)), ok()];
    const verdict = evaluateSweep(checks, { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(false);
    expect(verdict.monitorEvent).toBeNull();
    expect(verdict.transitions.map((t) => t?.event?.type ?? null)).toEqual([
      'down',
      'down',
      'down',
      'down',
      null,
    ]);
  });

  it('changes no state and raises one monitor event naming the kinds when no site answered', () => {
    const checks = [...times(5, () => none('dns')), ...times(3, none)];
    const verdict = evaluateSweep(checks, { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(true);
    expect(verdict.transitions).toEqual(times(8, () => null));
    expect(verdict.monitorEvent).toEqual({
      type: 'monitor-offline',
      at: 2000,
      failed: 8,
      checked: 8,
      kinds: { dns: 5, refused: 3 },
    });
    expect(verdict.monitor).toEqual({ offlineSince: 2000 });
  });

  it('raises no second monitor-offline while the monitor stays offline', () => {
    const verdict = evaluateSweep(times(10, none), { offlineSince: 2000 }, DEFAULT_OFFLINE_RULE, 5000);
    expect(verdict.offline).toBe(true);
    expect(verdict.monitorEvent).toBeNull();
    expect(verdict.monitor).toEqual({ offlineSince: 2000 });
  });

  it('raises monitor-online with the offline time on the first normal sweep after', () => {
    const verdict = evaluateSweep(
      [none(), ...times(9, ok)],
      { offlineSince: 2000 },
      DEFAULT_OFFLINE_RULE,
      7000,
    );
    expect(verdict.offline).toBe(false);
    expect(verdict.monitorEvent).toEqual({
      type: 'monitor-online',
      at: 7000,
      offlineSince: 2000,
      offlineForMs: 5000,
    });
    expect(verdict.transitions[0]?.event?.type).toBe('down');
  });

  it('treats a small config failing entirely as sites down, not as the monitor offline', () => {
    const verdict = evaluateSweep(times(4, none), { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(false);
    expect(verdict.transitions.map((t) => t?.event?.type)).toEqual(['down', 'down', 'down', 'down']);
  });

  it('alerts every site when the rule is off', () => {
    const verdict = evaluateSweep(times(10, none), { offlineSince: null }, null, 2000);
    expect(verdict.offline).toBe(false);
    expect(verdict.transitions.every((t) => t?.event?.type === 'down')).toBe(true);
  });

  describe('with connectivity targets', () => {
    it('a target that answered proves the monitor online: the sites are down', () => {
      const verdict = evaluateSweep(times(5, none), { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000, true);
      expect(verdict.offline).toBe(false);
      expect(verdict.monitorEvent).toBeNull();
      expect(verdict.transitions.map((t) => t?.event?.type)).toEqual(times(5, () => 'down'));
    });

    it('offline only when every target failed too', () => {
      const verdict = evaluateSweep(
        times(5, none),
        { offlineSince: null },
        DEFAULT_OFFLINE_RULE,
        2000,
        false,
      );
      expect(verdict.offline).toBe(true);
      expect(verdict.monitorEvent?.type).toBe('monitor-offline');
    });

    it('a target answering ends an offline stretch even while the sites still fail', () => {
      const verdict = evaluateSweep(times(5, none), { offlineSince: 1000 }, DEFAULT_OFFLINE_RULE, 4000, true);
      expect(verdict.offline).toBe(false);
      expect(verdict.monitorEvent).toMatchObject({ type: 'monitor-online', offlineForMs: 3000 });
    });
  });

  it('decides nothing for a sweep stopped before any check finished', () => {
    const verdict = evaluateSweep([], { offlineSince: 2000 }, DEFAULT_OFFLINE_RULE, 9000);
    expect(verdict).toEqual({
      offline: false,
      failed: 0,
      checked: 0,
      transitions: [],
      monitor: { offlineSince: 2000 },
      monitorEvent: null,
    });
  });
});
