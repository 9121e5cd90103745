/**
 * One sweep's verdicts -> per-site transitions, unless the monitor itself looks offline. Pure, like
 * transitions.ts: the daemon feeds it what it read from the store (and, when the config names
 * connectivity targets, whether any of them answered) and writes back what it returns.
 */

import type { OfflineRuleConfig } from '../config/types.js';
import type {
  Check,
  Cover,
  KindCounts,
  MonitorEvent,
  MonitorState,
  SiteState,
  Thresholds,
  Transition,
} from '../core/state.js';
import { quieted } from './quiet.js';
import { transition } from './transitions.js';

/**
 * When most sites fail without any HTTP response at once, the monitor's own network is the likely
 * culprit. null: the rule is off (`"offline": false`), every failure counts against its site.
 */
export type OfflineRule = OfflineRuleConfig;

/** 80% of at least 5 checked sites; the config's default, where the config says nothing. */
export { DEFAULT_OFFLINE_RULE } from '../config/offline-sections.js';

export interface SiteCheck {
  previous: SiteState | null;
  check: Check;
  /** The check failed without any HTTP response (core/result.ts gotNoResponse). */
  noResponse: boolean;
  thresholds: Thresholds;
  /** Time of the check, ms since the epoch. */
  at: number;
  /** The maintenance window and silence covering the check (quiet.ts); none when absent. */
  cover?: Cover;
}

export interface SweepVerdict {
  /** True when the sweep is recorded as monitor-offline: no site changes state. */
  offline: boolean;
  /** Checks that got no HTTP response at all. */
  failed: number;
  checked: number;
  /** One transition per input, in input order; null for all when offline. */
  transitions: (Transition | null)[];
  monitor: MonitorState;
  monitorEvent: MonitorEvent | null;
}

/** What the offline rule looks at: checks without any response (by kind), and whether any site answered. */
export interface OfflineTally {
  checked: number;
  noResponse: number;
  kinds: KindCounts;
  /** Some site answered with an HTTP status (any, 503 included): the monitor's network works. */
  answered: boolean;
}

export function tallyOffline(checks: readonly Pick<SiteCheck, 'check' | 'noResponse'>[]): OfflineTally {
  const kinds: KindCounts = {};
  let noResponse = 0;
  let answered = false;
  for (const { check, noResponse: none } of checks) {
    if (check.status !== null) answered = true;
    if (!none) continue;
    noResponse++;
    kinds[check.kind] = (kinds[check.kind] ?? 0) + 1;
  }
  return { checked: checks.length, noResponse, kinds, answered };
}

/**
 * The rule on the sites alone: at least `minSites` checked, at least `ratio` of them without any
 * response, and not one HTTP status among them. With connectivity targets, the daemon then asks them
 * before the sweep counts as offline.
 */
export function looksOffline(tally: OfflineTally, rule: OfflineRule | null): boolean {
  if (rule === null || tally.answered || tally.checked === 0) return false;
  return tally.checked >= rule.minSites && tally.noResponse >= rule.ratio * tally.checked;
}

/**
 * Decides a sweep. `targetsAnswered`: whether any connectivity target answered (null when none are
 * configured, or they were not asked); one that did proves the monitor online, so the failures are the
 * sites'. Only the first of a run of offline sweeps raises `monitor-offline`, and the first normal sweep
 * after them raises `monitor-online`: one event each way, however long the outage.
 */
export function evaluateSweep(
  checks: readonly SiteCheck[],
  monitor: MonitorState,
  rule: OfflineRule | null,
  now: number,
  targetsAnswered: boolean | null = null,
): SweepVerdict {
  const tally = tallyOffline(checks);
  const { checked, noResponse: failed } = tally;
  // A sweep stopped before any check finished says nothing, about the sites or the monitor.
  if (checked === 0) return { offline: false, failed, checked, transitions: [], monitor, monitorEvent: null };
  if (looksOffline(tally, rule) && targetsAnswered !== true) {
    const wasOffline = monitor.offlineSince !== null;
    return {
      offline: true,
      failed,
      checked,
      transitions: checks.map(() => null),
      monitor: { offlineSince: monitor.offlineSince ?? now },
      monitorEvent: wasOffline
        ? null
        : { type: 'monitor-offline', at: now, failed, checked, kinds: tally.kinds },
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
    transitions: checks.map((c) => {
      const t = transition(c.previous, c.check, c.thresholds, c.at);
      return c.cover === undefined ? t : quieted(c.previous, t, c.cover, c.at);
    }),
    monitor: { offlineSince: null },
    monitorEvent,
  };
}
