/**
 * Maintenance windows and silences, as a pure step after the state machine (transitions.ts):
 * (previous state, its transition, what covers the check, now) -> the transition as it is committed.
 *
 * - Inside a window the site is checked and its up/down state kept, but no event is raised at all; the
 *   degraded state and the certificates are left as they were before the window, so their events come
 *   after it if still due. When the window ends, what the outside world was told is set right in one go:
 *   a site down then gets its `down` (dated from the window's end, naming the window); one that went down
 *   and came back inside it raises nothing; one whose `down` went out before the window gets no new one,
 *   and its `up` as soon as it is up.
 * - Under a silence every event is raised and recorded as always, but marked `silenced`: no channel gets
 *   it. When the silence ends, a site still down whose `down` never went out gets it then, once.
 */

import type { Cause, Cover, QuietState, SiteEvent, SiteState, Transition } from '../core/state.js';

/** A down site always has its cause; this stands in should a state written by hand lack it. */
const NO_CAUSE: Cause = { kind: 'protocol', status: null, message: null };

function eventsOf(t: Transition): SiteEvent[] {
  return t.event === null ? [...(t.more ?? [])] : [t.event, ...(t.more ?? [])];
}

function withQuiet(state: SiteState, quiet: QuietState): SiteState {
  const { quiet: _q, ...rest } = state;
  return Object.keys(quiet).length === 0 ? rest : { ...rest, quiet };
}

function transitionOf(next: SiteState, events: readonly SiteEvent[], silenced?: number): Transition {
  const [first = null, ...more] = events;
  const t: Transition = { next, event: first };
  if (more.length > 0) t.more = more;
  if (silenced !== undefined && first !== null) t.silenced = silenced;
  return t;
}

const isOutage = (e: SiteEvent) => e.type === 'down' || e.type === 'still-down' || e.type === 'up';

/** The check inside a window: state kept, no event; slowness and certificates as before the window. */
function inWindow(prev: SiteState | null, t: Transition, window: NonNullable<Cover['window']>, now: number) {
  const before = prev?.quiet ?? {};
  const quiet: QuietState = {
    window: { name: window.name, since: before.window?.since ?? now, end: window.end },
  };
  if (before.window !== undefined) {
    if (before.announced !== undefined) quiet.announced = before.announced;
  } else if (prev?.status === 'down' && before.unsent === undefined) {
    quiet.announced = { downSince: prev.since ?? now };
  }
  const { slowness: _s, certs: _c, ...next } = t.next;
  if (prev?.slowness !== undefined) (next as SiteState).slowness = prev.slowness;
  if (prev?.certs !== undefined) (next as SiteState).certs = prev.certs;
  return { next: next as SiteState, events: [] as SiteEvent[], quiet };
}

/** The first check after a window: what was held is told, in at most one `down` or `up`. */
function afterWindow(prev: SiteState, t: Transition, before: QuietState, now: number) {
  const window = before.window as NonNullable<QuietState['window']>;
  const end = Math.min(window.end, now);
  let next = t.next;
  const events: SiteEvent[] = eventsOf(t).filter((e) => !isOutage(e));
  const told = eventsOf(t).filter(isOutage);
  if (next.status === 'down') {
    if (before.announced !== undefined) events.unshift(...told);
    else {
      const downSince = Math.max(next.since ?? end, end);
      const cause = next.cause ?? NO_CAUSE;
      events.unshift({ type: 'down', at: now, downSince, cause, maintenance: window.name });
      next = { ...next, since: downSince, lastAlertAt: now };
    }
  } else if (before.announced !== undefined) {
    const up = told.find((e) => e.type === 'up');
    const upSince = up?.upSince ?? next.since ?? now;
    const downSince = before.announced.downSince;
    const cause = up?.cause ?? prev.cause;
    const downForMs = Math.max(0, upSince - downSince);
    events.unshift({ type: 'up', at: now, downSince, upSince, downForMs, cause });
  }
  return { next, events };
}

/**
 * The step itself. `cover`: the window and the silence covering the site at this check; `now`: its time.
 */
export function quieted(prev: SiteState | null, t: Transition, cover: Cover, now: number): Transition {
  const before = prev?.quiet ?? {};
  if (before.window === undefined && before.silence === undefined && before.unsent === undefined) {
    if (cover.window === null && cover.silence === null) return t;
  }
  let next: SiteState;
  let events: SiteEvent[];
  let quiet: QuietState;
  if (cover.window !== null) {
    ({ next, events, quiet } = inWindow(prev, t, cover.window, now));
    if (cover.silence !== null) quiet.silence = { since: cover.silence.since };
    return transitionOf(withQuiet(next, quiet), events);
  }
  if (before.window !== undefined && prev !== null) {
    ({ next, events } = afterWindow(prev, t, before, now));
    quiet = {};
  } else {
    ({ next, events } = { next: t.next, events: eventsOf(t) });
    quiet = before.unsent === undefined ? {} : { unsent: true };
  }
  if (cover.silence !== null) {
    const since = cover.silence.since;
    quiet.silence = { since };
    if (events.some((e) => e.type === 'down')) quiet.unsent = true;
    if (events.some((e) => e.type === 'up') || next.status !== 'down') delete quiet.unsent;
    return transitionOf(withQuiet(next, quiet), events, since);
  }
  const silencedSince = before.silence?.since;
  if (silencedSince !== undefined && quiet.unsent !== undefined) {
    delete quiet.unsent;
    if (next.status === 'down') {
      events = events.filter((e) => e.type !== 'still-down');
      const cause = next.cause ?? NO_CAUSE;
      events.unshift({ type: 'down', at: now, downSince: next.since ?? now, cause, silencedSince });
      next = { ...next, lastAlertAt: now };
    } else if (events.some((e) => e.type === 'up')) {
      // Back up at the very check the silence ended on: its `down` never went out, nor does this `up`.
      return transitionOf(withQuiet(next, quiet), events, silencedSince);
    }
  }
  if (next.status !== 'down') delete quiet.unsent;
  return transitionOf(withQuiet(next, quiet), events);
}
