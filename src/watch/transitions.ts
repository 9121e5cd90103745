/**
 * The state machine of one site, as a pure function: (previous state, check, thresholds, now) ->
 * (next state, event?). Everything the daemon remembers about a site between sweeps is in SiteState,
 * so a restart that reads it back from the database carries on exactly where the last sweep left off.
 */

import type { Cause, Check, SiteEvent, SiteState, Slowness, Thresholds, Transition } from '../core/state.js';
import { certificates } from './certs.js';

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
 * - While up, slow checks (over maxResponseMs) make the site degraded after `failureThreshold` in a row,
 *   and quick ones make it recover after `successThreshold` in a row (`degraded`, `recovered`); see slowed().
 * - Certificates are followed by certs.ts: `cert-expiring` and `cert-renewed`.
 */
export function transition(
  previous: SiteState | null,
  check: Check,
  thresholds: Thresholds,
  now: number,
): Transition {
  const prev = previous ?? FIRST_SEEN;
  const main = check.ok
    ? succeeded(prev, thresholds, now)
    : failed(prev, { kind: check.kind, status: check.status, message: check.error }, thresholds, now);
  const speed = slowed(prev.slowness, main.next.status, check, thresholds, now);
  const certs = certificates(prev.certs ?? [], check.tls ?? null, thresholds.certExpiry?.warnDays ?? [], now);
  // Only present when there is something to keep, so a site that is never slow nor https is as it was.
  const { slowness: _s, certs: _c, ...next } = main.next;
  if (speed.slowness !== undefined) (next as SiteState).slowness = speed.slowness;
  if (certs.records.length > 0) (next as SiteState).certs = certs.records;
  const events = [...(speed.event === null ? [] : [speed.event]), ...certs.events];
  if (main.event === null && events.length === 0) return { next, event: null };
  const [first, ...more] = main.event === null ? events : [main.event, ...events];
  return more.length === 0 ? { next, event: first ?? null } : { next, event: first ?? null, more };
}

/**
 * Degraded, a state of its own within `up`: after `failureThreshold` slow checks in a row (dated from the
 * first), until `successThreshold` quick ones in a row. An outage ends it without a word (the `down` says
 * more); a failure that does not make the site down only breaks the streaks. Nothing is judged while the
 * site is down or not yet known.
 */
function slowed(
  prev: Slowness | undefined,
  status: SiteState['status'],
  check: Check,
  thresholds: Thresholds,
  now: number,
): { slowness: Slowness | undefined; event: SiteEvent | null } {
  const none = { slowness: undefined, event: null };
  if (status !== 'up') return none;
  if (!check.ok) {
    if (prev?.since === null || prev === undefined) return none;
    return { slowness: { ...prev, slow: 0, slowSince: null, quick: 0, quickSince: null }, event: null };
  }
  if (check.slow) {
    const cause: Cause = { kind: 'ok', status: check.status, message: check.slow };
    const slow = (prev?.slow ?? 0) + 1;
    const slowSince = prev?.slowSince ?? now;
    const streak = { slow, slowSince, quick: 0, quickSince: null, cause };
    if (prev !== undefined && prev.since !== null)
      return { slowness: { ...streak, since: prev.since }, event: null };
    if (slow < thresholds.failureThreshold) return { slowness: { ...streak, since: null }, event: null };
    return {
      slowness: { ...streak, since: slowSince },
      event: { type: 'degraded', at: now, since: slowSince, cause },
    };
  }
  if (prev === undefined || prev.since === null) return none;
  const quick = prev.quick + 1;
  const quickSince = prev.quickSince ?? now;
  if (quick < thresholds.successThreshold) {
    return { slowness: { ...prev, slow: 0, slowSince: null, quick, quickSince }, event: null };
  }
  const forMs = Math.max(0, quickSince - prev.since);
  return {
    slowness: undefined,
    event: { type: 'recovered', at: now, since: prev.since, until: quickSince, forMs, cause: prev.cause },
  };
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
