import type { LocationsSummary, MissingLocation } from '../../core/locations.js';
import type { Result } from '../../core/result.js';
import type { Site } from '../../core/site.js';
import { formatDuration } from '../../util/duration.js';
import { uncheckedResult } from '../unchecked.js';
import type { LocationPlan } from './lanes.js';
import { resultField } from './protocol.js';
import { type LocationOutcome, quorumVerdict } from './quorum.js';

/** What the end of a sweep needs to know of each lane. */
export interface LaneEnd {
  location?: string;
  indexes: number[];
  workers: number | null;
  left: boolean;
  outstanding: number;
}

export interface FinishOptions {
  deadlineMs: number;
  waitForWorkersMs?: number;
  redact: (text: string) => string;
  /** With locations: each verdict that is not unchecked, reported at the end. */
  onResult?: (result: Result, index: number) => void;
  onLocations?: (summary: LocationsSummary) => void;
}

/** Why a lane's missing checks are missing. */
function laneReason(lane: LaneEnd, opts: FinishOptions): string {
  const wait = formatDuration(opts.waitForWorkersMs ?? 0);
  if (lane.location === undefined) {
    return lane.left
      ? `no worker connected to the queue for ${wait}: every worker left mid-sweep`
      : `no result within the deadline (${formatDuration(opts.deadlineMs)})` +
          (lane.workers === 0 ? '; no worker was connected to the queue when the sweep started' : '');
  }
  if (lane.left) {
    return lane.workers === 0
      ? `no live worker in ${lane.location} (none connected within ${wait})`
      : `no live worker in ${lane.location} (every one left mid-sweep, none for ${wait})`;
  }
  return `no result from ${lane.location} within the deadline (${formatDuration(opts.deadlineMs)})`;
}

/**
 * The sweep's results in config order: without locations, each site's result or unchecked; with them,
 * each site's quorum verdict over its locations. Reports the verdicts (onResult) and, once, the
 * locations that left checks without a result (onLocations).
 */
export function finish(
  sites: readonly Site[],
  lanes: readonly LaneEnd[],
  plan: LocationPlan,
  got: ReadonlyMap<string, Result>,
  opts: FinishOptions,
): Result[] {
  const now = new Date();
  const reasons = new Map(lanes.map((lane) => [lane.location, laneReason(lane, opts)]));
  const siteLocations = plan.siteLocations;
  if (siteLocations === null) {
    const reason = reasons.get(undefined) ?? '';
    return sites.map((site, i) => got.get(resultField(i)) ?? uncheckedResult(site, reason, opts.redact, now));
  }
  const results = sites.map((site, i) => {
    const outcomes: LocationOutcome[] = (siteLocations[i] ?? []).map((location) => ({
      location,
      result: got.get(resultField(i, location)) ?? null,
      reason: reasons.get(location) ?? '',
    }));
    return quorumVerdict(site, outcomes, plan.quorum, opts.redact, now);
  });
  for (const [i, result] of results.entries()) if (result.ok !== null) opts.onResult?.(result, i);
  const missing: MissingLocation[] = lanes
    .filter((lane) => lane.location !== undefined && lane.outstanding > 0)
    .map((lane) => ({
      location: lane.location as string,
      missing: lane.outstanding,
      reason: reasons.get(lane.location) ?? '',
    }));
  opts.onLocations?.({
    locations: lanes.flatMap((lane) => (lane.location === undefined ? [] : [lane.location])),
    quorum: plan.quorum,
    missing,
  });
  return results;
}

/**
 * A sweep with locations stopped by a signal: the verdicts no missing result could change still count
 * (down: the quorum already sees it down; up: it answered with a quorum, and too few locations are left
 * to make it down), reported through onResult; the rest stay unchecked ("interrupted").
 */
export function reportDecided(
  sites: readonly Site[],
  plan: LocationPlan,
  got: ReadonlyMap<string, Result>,
  opts: Pick<FinishOptions, 'redact' | 'onResult'>,
): void {
  const siteLocations = plan.siteLocations;
  if (siteLocations === null || opts.onResult === undefined) return;
  const now = new Date();
  for (const [i, site] of sites.entries()) {
    const outcomes: LocationOutcome[] = (siteLocations[i] ?? []).map((location) => ({
      location,
      result: got.get(resultField(i, location)) ?? null,
      reason: 'interrupted before its result came',
    }));
    const down = outcomes.filter((o) => o.result?.ok === false).length;
    const answered = outcomes.filter((o) => o.result !== null).length;
    const pending = outcomes.length - answered;
    const decided = down >= plan.quorum || (answered >= plan.quorum && down + pending < plan.quorum);
    if (decided) opts.onResult(quorumVerdict(site, outcomes, plan.quorum, opts.redact, now), i);
  }
}
