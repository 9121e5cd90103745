/**
 * One sweep's verdicts -> per-site transitions, unless the monitor itself looks offline. Pure, like
 * transitions.ts: the daemon feeds it what it read from the store and writes back what it returns.
 */

import type { Check, MonitorEvent, MonitorState, SiteState, Thresholds, Transition } from '../core/state.js';
import { transition } from './transitions.js';

/** When nearly every site fails at once, the monitor's own network is the likely culprit. */
export interface OfflineRule {
  /** Share of the checked sites that failed, 0 to 1. */
  ratio: number;
  /** Fewer sites than this never count as the monitor being offline. */
  minSites: number;
}

export const DEFAULT_OFFLINE_RULE: Readonly<OfflineRule> = Object.freeze({ ratio: 0.8, minSites: 5 });

export interface SiteCheck {
  previous: SiteState | null;
  check: Check;
  thresholds: Thresholds;
  /** Time of the check, ms since the epoch. */
  at: number;
}

export interface SweepVerdict {
  /** True when the sweep is recorded as monitor-offline: no site changes state. */
  offline: boolean;
  failed: number;
  checked: number;
  /** One transition per input, in input order; null for all when offline. */
  transitions: (Transition | null)[];
  monitor: MonitorState;
  monitorEvent: MonitorEvent | null;
}

export function isMonitorOffline(failed: number, checked: number, rule: OfflineRule): boolean {
  return checked >= rule.minSites && failed >= rule.ratio * checked;
}

/**
 * Decides a sweep. Only the first of a run of offline sweeps raises `monitor-offline`, and the first
 * normal sweep after them raises `monitor-online`: one event each way, however long the outage.
 */
export function evaluateSweep(
  checks: readonly SiteCheck[],
  monitor: MonitorState,
  rule: OfflineRule,
  now: number,
): SweepVerdict {
  const checked = checks.length;
  const failed = checks.filter((c) => !c.check.ok).length;
  // A sweep stopped before any check finished says nothing, about the sites or the monitor.
  if (checked === 0) return { offline: false, failed, checked, transitions: [], monitor, monitorEvent: null };
  if (isMonitorOffline(failed, checked, rule)) {
    const wasOffline = monitor.offlineSince !== null;
    return {
      offline: true,
      failed,
      checked,
      transitions: checks.map(() => null),
      monitor: { offlineSince: monitor.offlineSince ?? now },
      monitorEvent: wasOffline ? null : { type: 'monitor-offline', at: now, failed, checked },
    };
  }
  const monitorEvent: MonitorEvent | null =
    monitor.offlineSince === null
      ? null
      : {
          type: 'monitor-online',
          at: now,
          offlineSince: monitor.offlineSince,
          offlineForMs: Math.max(0, now - monitor.offlineSince),
        };
  return {
    offline: false,
    failed,
    checked,
    transitions: checks.map((c) => transition(c.previous, c.check, c.thresholds, c.at)),
    monitor: { offlineSince: null },
    monitorEvent,
  };
}
