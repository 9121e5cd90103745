import { describe, expect, it } from 'vitest';
import type { Check, SiteState } from '../../src/core/state.js';
import {
  DEFAULT_OFFLINE_RULE,
  evaluateSweep,
  isMonitorOffline,
  type SiteCheck,
} from '../../src/watch/evaluate.js';

const OK: Check = { ok: true, kind: 'ok', status: 200, error: null };
const FAIL: Check = { ok: false, kind: 'refused', status: null, error: 'connection refused' };
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

function checks(failing: number, passing: number, previous: SiteState | null = UP): SiteCheck[] {
  return [
    ...Array.from({ length: failing }, () => ({ previous, check: FAIL, thresholds, at: 1000 })),
    ...Array.from({ length: passing }, () => ({ previous, check: OK, thresholds, at: 1000 })),
  ];
}

describe('isMonitorOffline (default: 80% or more of at least 5 sites)', () => {
  it.each([
    [4, 5, true],
    [5, 5, true],
    [3, 5, false],
    [4, 4, false],
    [8, 10, true],
    [7, 10, false],
    [800, 1000, true],
    [799, 1000, false],
    [0, 0, false],
  ])('%i failed of %i -> %s', (failed, checked, offline) => {
    expect(isMonitorOffline(failed, checked, DEFAULT_OFFLINE_RULE)).toBe(offline);
  });
});

describe('evaluateSweep', () => {
  it('applies each site transition when the monitor is online', () => {
    const verdict = evaluateSweep(checks(1, 4), { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(false);
    expect(verdict.transitions.map((t) => t?.event?.type ?? null)).toEqual(['down', null, null, null, null]);
    expect(verdict.monitorEvent).toBeNull();
    expect(verdict.monitor).toEqual({ offlineSince: null });
  });

  it('changes no state and raises one monitor event when nearly every site fails', () => {
    const verdict = evaluateSweep(checks(9, 1), { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(true);
    expect(verdict.transitions).toEqual(Array.from({ length: 10 }, () => null));
    expect(verdict.monitorEvent).toEqual({ type: 'monitor-offline', at: 2000, failed: 9, checked: 10 });
    expect(verdict.monitor).toEqual({ offlineSince: 2000 });
  });

  it('raises no second monitor-offline while the monitor stays offline', () => {
    const verdict = evaluateSweep(checks(10, 0), { offlineSince: 2000 }, DEFAULT_OFFLINE_RULE, 5000);
    expect(verdict.offline).toBe(true);
    expect(verdict.monitorEvent).toBeNull();
    expect(verdict.monitor).toEqual({ offlineSince: 2000 });
  });

  it('raises monitor-online with the offline time on the first normal sweep after', () => {
    const verdict = evaluateSweep(checks(1, 9), { offlineSince: 2000 }, DEFAULT_OFFLINE_RULE, 7000);
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
    const verdict = evaluateSweep(checks(4, 0), { offlineSince: null }, DEFAULT_OFFLINE_RULE, 2000);
    expect(verdict.offline).toBe(false);
    expect(verdict.transitions.map((t) => t?.event?.type)).toEqual(['down', 'down', 'down', 'down']);
  });

  it('follows a custom rule', () => {
    const rule = { ratio: 0.5, minSites: 2 };
    expect(evaluateSweep(checks(1, 1), { offlineSince: null }, rule, 1).offline).toBe(true);
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
