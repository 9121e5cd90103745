/**
 * Checks and failures per site per UTC day (90 days) and per hour (the last 25), kept in memory by the
 * daemon: read once from the store at start (store/status-history.ts), then each committed sweep's
 * results added as they come, so that a sweep of 10,000 sites costs no aggregate query over days of
 * raw results. `report --html` reads it once and renders.
 */

import { type Buckets, type Counts, DAY_MS, type StatusCounts } from '../../store/status-history.js';
import type { DayBucket, UptimeWindows } from './model.js';

const HOUR_MS = 3_600_000;
export const DAYS_SHOWN = 90;

function bump(buckets: Buckets, key: string, bucket: number, failed: boolean): void {
  let site = buckets.get(key);
  if (site === undefined) {
    site = new Map();
    buckets.set(key, site);
  }
  const counts = site.get(bucket) ?? { checks: 0, failures: 0 };
  counts.checks++;
  if (failed) counts.failures++;
  site.set(bucket, counts);
}

function pct(c: Counts): number | null {
  return c.checks === 0 ? null : Math.round(((c.checks - c.failures) / c.checks) * 100_000) / 1000;
}

function sum(site: Map<number, Counts> | undefined, from: number, to: number): Counts {
  const total = { checks: 0, failures: 0 };
  if (site === undefined) return total;
  for (const [bucket, c] of site) {
    if (bucket < from || bucket > to) continue;
    total.checks += c.checks;
    total.failures += c.failures;
  }
  return total;
}

export class UptimeBook {
  private constructor(private readonly counts: StatusCounts) {}

  static from(counts: StatusCounts): UptimeBook {
    return new UptimeBook(counts);
  }

  /** One recorded check (what the store kept: not the results of a monitor-offline sweep, not unchecked ones). */
  add(key: string, at: number, ok: boolean): void {
    bump(this.counts.days, key, Math.floor(at / DAY_MS), !ok);
    bump(this.counts.hours, key, Math.floor(at / HOUR_MS), !ok);
  }

  /** Forgets buckets too old to be shown, so memory stays bounded over months of running. */
  prune(now: number): void {
    const firstDay = Math.floor(now / DAY_MS) - (DAYS_SHOWN - 1);
    const firstHour = Math.floor(now / HOUR_MS) - 24;
    for (const site of this.counts.days.values())
      for (const day of site.keys()) if (day < firstDay) site.delete(day);
    for (const site of this.counts.hours.values()) {
      for (const hour of site.keys()) if (hour < firstHour) site.delete(hour);
    }
  }

  /** The last 90 UTC days, oldest first, today last; a day without checks has `uptimePct: null`. */
  days(key: string, now: number): DayBucket[] {
    const today = Math.floor(now / DAY_MS);
    const site = this.counts.days.get(key);
    return Array.from({ length: DAYS_SHOWN }, (_, i) => {
      const day = today - (DAYS_SHOWN - 1) + i;
      const c = site?.get(day) ?? { checks: 0, failures: 0 };
      return {
        day: new Date(day * DAY_MS).toISOString().slice(0, 10),
        checks: c.checks,
        failures: c.failures,
        uptimePct: pct(c),
      };
    });
  }

  /** 24 h: the current hour and the 23 before; 7, 30, 90 days: today (UTC) and the days before. */
  windows(key: string, now: number): UptimeWindows {
    const hour = Math.floor(now / HOUR_MS);
    const today = Math.floor(now / DAY_MS);
    const days = this.counts.days.get(key);
    return {
      '24h': pct(sum(this.counts.hours.get(key), hour - 23, hour)),
      '7d': pct(sum(days, today - 6, today)),
      '30d': pct(sum(days, today - 29, today)),
      '90d': pct(sum(days, today - 89, today)),
    };
  }
}
