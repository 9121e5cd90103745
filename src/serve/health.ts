/**
 * `/healthz`: whether the daemon is doing its job, from facts it keeps (README, "Health"). What a load
 * balancer, systemd's watchdog or an external dead man's switch polls: 200 while healthy, else 503, and
 * the body says which part is not.
 */

import { humanDuration } from '../util/time.js';

export interface HealthFacts {
  now: number;
  /** When the daemon started (the first sweep starts then). */
  startedAt: number;
  /** When the last sweep finished; null before the first. */
  lastSweepAt: number | null;
  /** The longest gap between two ticks of the schedule, ms. */
  intervalMs: number;
  /** Whether the last write to the database succeeded, and if not why. */
  database: { writable: true } | { writable: false; error: string };
  /** The oldest notification still waiting, and how long one may wait before it expires; null without channels. */
  outbox: { oldestPendingAt: number | null; expireMs: number } | null;
}

export interface HealthPart {
  healthy: boolean;
  detail: string;
}

export interface HealthReport {
  healthy: boolean;
  checkedAt: string;
  parts: { sweeps: HealthPart; database: HealthPart; outbox: HealthPart };
}

/** Grace on top of the outbox's expiry: the delivery loop looks at expired entries on its own tick. */
const OUTBOX_GRACE_MS = 60_000;

export function evaluateHealth(f: HealthFacts): HealthReport {
  const since = f.lastSweepAt ?? f.startedAt;
  const late = f.now - since;
  const sweeps: HealthPart =
    late <= 2 * f.intervalMs
      ? {
          healthy: true,
          detail:
            f.lastSweepAt === null ? 'first sweep in progress' : `last sweep ${humanDuration(late)} ago`,
        }
      : {
          healthy: false,
          detail: `${f.lastSweepAt === null ? 'no sweep has finished since the start' : 'the last sweep finished'} ${humanDuration(late)} ago, more than two schedule intervals (${humanDuration(2 * f.intervalMs)})`,
        };
  const database: HealthPart = f.database.writable
    ? { healthy: true, detail: 'writable' }
    : { healthy: false, detail: `not writable: ${f.database.error}` };
  let outbox: HealthPart = { healthy: true, detail: 'no channels' };
  if (f.outbox !== null) {
    const waited = f.outbox.oldestPendingAt === null ? 0 : f.now - f.outbox.oldestPendingAt;
    outbox =
      waited <= f.outbox.expireMs + OUTBOX_GRACE_MS
        ? { healthy: true, detail: waited === 0 ? 'empty' : `oldest waiting ${humanDuration(waited)}` }
        : {
            healthy: false,
            detail: `a notification has waited ${humanDuration(waited)}, past its expiry (${humanDuration(f.outbox.expireMs)}): delivery is stuck`,
          };
  }
  return {
    healthy: sweeps.healthy && database.healthy && outbox.healthy,
    checkedAt: new Date(f.now).toISOString(),
    parts: { sweeps, database, outbox },
  };
}
