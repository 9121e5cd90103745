/**
 * The state machine of one site, as a pure function: (previous state, check, thresholds, now) ->
 * (next state, event?). Everything the daemon remembers about a site between sweeps is in SiteState,
 * so a restart that reads it back from the database carries on exactly where the last sweep left off.
 */

import type { Cause, Check, SiteEvent, SiteState, Thresholds, Transition } from '../core/state.js';

/** The state of a site never checked before. */
export const FIRST_SEEN: Readonly<SiteState> = Object.freeze({
  status: 'unknown',
  since: null,
  failures: 0,
  successes: 0,
  streakStart: null,
  lastAlertAt: null,
  cause: null,
});

/**
 * One check of one site. `now` is the time of the check, in ms since the epoch.
 *
 * - A site goes down after `failureThreshold` consecutive failures and the outage dates from the first
 *   of them; it comes back up after `successThreshold` consecutive successes, dated from the first.
 * - A site seen for the first time (or still `unknown`) that is up becomes up silently: there is nothing
 *   to recover from. One that fails goes down, with a `down` event, once the threshold is reached.
 * - While down, a `still-down` reminder is raised when `repeatAfter` has passed since the last alert.
 */
export function transition(
  previous: SiteState | null,
  check: Check,
  thresholds: Thresholds,
  now: number,
): Transition {
  const prev = previous ?? FIRST_SEEN;
  if (check.ok) return succeeded(prev, thresholds, now);
  const cause: Cause = { kind: check.kind, status: check.status, message: check.error };
  return failed(prev, cause, thresholds, now);
}

function succeeded(prev: SiteState, thresholds: Thresholds, now: number): Transition {
  const successes = prev.successes + 1;
  const streakStart = prev.successes > 0 ? (prev.streakStart ?? now) : now;
  const streak = { failures: 0, successes, streakStart };
  if (prev.status === 'up') return { next: { ...prev, ...streak, cause: null }, event: null };
  if (prev.status === 'unknown') {
    const next: SiteState = { ...streak, status: 'up', since: now, lastAlertAt: null, cause: null };
    return { next, event: null };
  }
  if (successes < thresholds.successThreshold) return { next: { ...prev, ...streak }, event: null };
  const downSince = prev.since ?? streakStart;
  const next: SiteState = { ...streak, status: 'up', since: streakStart, lastAlertAt: null, cause: null };
  const downForMs = Math.max(0, streakStart - downSince);
  return {
    next,
    event: { type: 'up', at: now, downSince, upSince: streakStart, downForMs, cause: prev.cause },
  };
}

function failed(prev: SiteState, cause: Cause, thresholds: Thresholds, now: number): Transition {
  const failures = prev.failures + 1;
  const streakStart = prev.failures > 0 ? (prev.streakStart ?? now) : now;
  const next: SiteState = { ...prev, failures, successes: 0, streakStart, cause };
  if (prev.status === 'down') {
    const downSince = prev.since ?? streakStart;
    const lastAlert = prev.lastAlertAt ?? downSince;
    if (thresholds.repeatAfter === null || now - lastAlert < thresholds.repeatAfter) {
      return { next: { ...next, lastAlertAt: lastAlert }, event: null };
    }
    const event: SiteEvent = { type: 'still-down', at: now, downSince, downForMs: now - downSince, cause };
    return { next: { ...next, lastAlertAt: now }, event };
  }
  // Up or unknown: failing, but not down until the threshold is reached.
  if (failures < thresholds.failureThreshold) return { next, event: null };
  return {
    next: { ...next, status: 'down', since: streakStart, lastAlertAt: now },
    event: { type: 'down', at: now, downSince: streakStart, cause },
  };
}
