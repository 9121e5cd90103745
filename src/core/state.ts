/**
 * What the monitor remembers about a site between sweeps, and what changes of it raise: the vocabulary of
 * the state machine (watch/transitions.ts), the store that persists it and the messages that report it.
 */

import type { Kind } from './result.js';

/** How many checks failed with each kind, e.g. { dns: 5, refused: 3 }. */
export type KindCounts = Partial<Record<Kind, number>>;

export type SiteStatus = 'up' | 'down' | 'unknown';

/** Why a check failed, as events and incidents report it. */
export interface Cause {
  kind: Kind;
  /** HTTP status, when a response came. */
  status: number | null;
  /** The sentence the probe wrote (already redacted). */
  message: string | null;
}

export interface SiteState {
  /** `unknown` until a first check has decided (first seen and failing below failureThreshold). */
  status: SiteStatus;
  /** When the current status began, ms since the epoch: the first failed check of an outage, the first good one of a recovery. */
  since: number | null;
  /** Consecutive failed checks up to now. */
  failures: number;
  /** Consecutive successful checks up to now. */
  successes: number;
  /** Time of the first check of the current streak (of failures or of successes). */
  streakStart: number | null;
  /** When the last `down` or `still-down` event of the current outage was raised. */
  lastAlertAt: number | null;
  /** The latest failure while failing or down; null while up. */
  cause: Cause | null;
}

/** The part of a Result the state machine looks at. */
export interface Check {
  ok: boolean;
  kind: Kind;
  status: number | null;
  error: string | null;
}

export interface Thresholds {
  /** Consecutive failed checks before a site counts as down (>= 1). */
  failureThreshold: number;
  /** Consecutive successful checks before a down site counts as up (>= 1). */
  successThreshold: number;
  /** Milliseconds from one alert to the `still-down` reminder; null for none. */
  repeatAfter: number | null;
}

export type SiteEvent =
  | { type: 'down'; at: number; downSince: number; cause: Cause }
  | { type: 'still-down'; at: number; downSince: number; downForMs: number; cause: Cause }
  | { type: 'up'; at: number; downSince: number; upSince: number; downForMs: number; cause: Cause | null };

export interface Transition {
  next: SiteState;
  event: SiteEvent | null;
}

/** Whether the monitor is offline, kept between sweeps (and restarts) like a site's state. */
export interface MonitorState {
  /** Start of the current run of monitor-offline sweeps; null while online. */
  offlineSince: number | null;
}

export type MonitorEvent =
  /** failed: the checks that got no HTTP response at all, by kind in `kinds`. */
  | { type: 'monitor-offline'; at: number; failed: number; checked: number; kinds: KindCounts }
  | { type: 'monitor-online'; at: number; offlineSince: number; offlineForMs: number };
