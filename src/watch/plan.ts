/**
 * When each site is due, as pure logic over an injected time: per-site intervals spread over their
 * interval by a stable offset (as Prometheus spreads its scrapes), and sites without an interval on the
 * `--schedule` cron. No timers here: the batch loop (batches.ts) asks what is due and when to wake, so
 * a test or a benchmark can run an hour in a loop of plain numbers.
 *
 * No drift: a site's checks are due on a fixed grid, `offset + k x interval` from the epoch, whatever
 * time a check took or a wake-up was late, so a site is checked every interval on the dot over a day as
 * over a minute. A check that outlasts its interval makes the site skip the slots it covered (counted
 * as missed), never run twice at once.
 */

import { CronTime } from 'cron';

/** Interval sites are due on whole seconds: their checks of one second start (and commit) together. */
export const SLOT_MS = 1000;

/** When a site is due: its next slot after a check that was due at `slot` finished at `finishedAt`. */
export interface Cadence {
  /** The first time the site is due, from `now` (the daemon's start, or the reload that added it). */
  first(now: number): number;
  /** The next slot after `slot` not before `finishedAt`: skipped slots are the ones the check outlasted. */
  after(slot: number, finishedAt: number): number;
  /** The cadence's period, for counting missed slots (the cron's next gap for a cron). */
  periodMs: number;
}

/**
 * A site's offset within its interval, in whole slots: from its identity (the store's site key, a
 * SHA-256 of the normalised URL), so it is the same at every start and on every machine, and the sites
 * of one interval are spread evenly over it.
 */
export function siteOffset(identity: string, intervalMs: number): number {
  const slots = Math.max(1, Math.floor(intervalMs / SLOT_MS));
  // FNV-1a: the key is already a hash when it is a site key, but any identity spreads well this way.
  let hash = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) {
    hash ^= identity.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % slots) * SLOT_MS;
}

/** The first slot of the grid `offset + k x interval` at or after `t`. */
export function slotAtOrAfter(t: number, intervalMs: number, offsetMs: number): number {
  return Math.ceil((t - offsetMs) / intervalMs) * intervalMs + offsetMs;
}

/** Every `intervalMs` on the site's own grid; the first check at its first slot (no burst at start). */
export function everyInterval(intervalMs: number, offsetMs: number): Cadence {
  return {
    periodMs: intervalMs,
    first: (now) => slotAtOrAfter(now, intervalMs, offsetMs),
    after: (slot, finishedAt) => Math.max(slot + intervalMs, slotAtOrAfter(finishedAt, intervalMs, offsetMs)),
  };
}

/**
 * On a cron expression, as `--schedule` has always run: the first check at once, then at every tick
 * after the previous check finished (a tick that comes while it runs is skipped).
 */
export function onCron(expression: string, timeZone?: string): Cadence {
  const time = new CronTime(expression.trim(), timeZone ?? null);
  const tickAfter = (t: number) => {
    const next = time.getNextDateFrom(new Date(t)).toMillis();
    // getNextDateFrom is strictly after the second of `t`; never hand back a time at or before it.
    return next > t ? next : time.getNextDateFrom(new Date(t + SLOT_MS)).toMillis();
  };
  const [a, b] = time.sendAt(2);
  return {
    periodMs: a && b ? b.toMillis() - a.toMillis() : 300_000,
    first: (now) => now,
    after: (slot, finishedAt) => tickAfter(Math.max(slot, finishedAt - 1)),
  };
}

/** One site of the plan: its identity (site key) and cadence. */
export interface PlanEntry {
  key: string;
  cadence: Cadence;
}

/** A check to start now: the site, the slot it was due at, and the slots it missed since its last one. */
export interface DueCheck {
  key: string;
  slot: number;
  missed: number;
}

interface SiteSlot {
  cadence: Cadence;
  next: number;
  /** The slot of the check in flight; null when the site is idle. */
  running: number | null;
  missed: number;
}

/**
 * Which sites are due at a time, and when the next one is. A site handed out by `due` is running until
 * `done` is called for it (after its result is committed): it is never due again before that.
 */
export class IntervalPlan {
  private readonly sites = new Map<string, SiteSlot>();

  constructor(entries: readonly PlanEntry[], now: number) {
    this.update(entries, now);
  }

  /**
   * A new config: sites kept (same key, same cadence period) keep their next slot and their check in
   * flight; new ones start on their cadence from `now`; removed ones are forgotten (a check of theirs
   * in flight is still committed, and its `done` ignored).
   */
  update(entries: readonly PlanEntry[], now: number): void {
    const previous = new Map(this.sites);
    this.sites.clear();
    for (const { key, cadence } of entries) {
      const before = previous.get(key);
      if (before !== undefined && before.cadence.periodMs === cadence.periodMs) {
        this.sites.set(key, { ...before, cadence });
      } else {
        const running = before?.running ?? null;
        this.sites.set(key, { cadence, next: cadence.first(now), running, missed: 0 });
      }
    }
  }

  /** The sites due at `now` and idle, marked running, earliest slot first. */
  due(now: number): DueCheck[] {
    const due: DueCheck[] = [];
    for (const [key, site] of this.sites) {
      if (site.running !== null || site.next > now) continue;
      site.running = site.next;
      due.push({ key, slot: site.next, missed: site.missed });
      site.missed = 0;
    }
    return due.sort((a, b) => a.slot - b.slot);
  }

  /** The site's check is over (committed, or given up) at `finishedAt`: it is due at its next slot. */
  done(key: string, finishedAt: number): void {
    const site = this.sites.get(key);
    if (site === undefined || site.running === null) return;
    const slot = site.running;
    site.running = null;
    site.next = site.cadence.after(slot, finishedAt);
    site.missed += Math.max(0, Math.round((site.next - slot) / site.cadence.periodMs) - 1);
  }

  /** The earliest slot of an idle site; null when every site is running (or there are none). */
  nextDue(): number | null {
    let next: number | null = null;
    for (const site of this.sites.values()) {
      if (site.running === null && (next === null || site.next < next)) next = site.next;
    }
    return next;
  }

  /** Sites with a check in flight. */
  get running(): number {
    let n = 0;
    for (const site of this.sites.values()) if (site.running !== null) n++;
    return n;
  }

  get size(): number {
    return this.sites.size;
  }
}
