/**
 * What the monitor remembers about a site between sweeps, and what changes of it raise: the vocabulary of
 * the state machine (watch/transitions.ts), the store that persists it and the messages that report it.
 */

import type { Kind, TlsInfo } from './result.js';
import type { CertExpiry } from './site.js';

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
  /** Slow answers (up, but over expect.maxResponseMs) and the degraded state; absent while there are none. */
  slowness?: Slowness;
  /** The certificates served lately (https), with the warnings raised for each; absent for none. */
  certs?: CertRecord[];
  /** A maintenance window or a silence holding its notifications back (watch/quiet.ts); absent for neither. */
  quiet?: QuietState;
}

/**
 * What the holding back of a site's notifications remembers between checks, so that what was held is
 * told once it ends: by a maintenance window (no event raised at all) or a silence (events recorded,
 * none sent).
 */
export interface QuietState {
  /** The window the site was in at its last check: its name, first check under it, and the end of its occurrence. */
  window?: { name: string; since: number; end: number };
  /** When the window began: the site was down and its `down` had gone out, since `downSince`. */
  announced?: { downSince: number };
  /** The silence the site was under at its last check: since when it is silenced. */
  silence?: { since: number };
  /** The site is down and its `down` has not gone out (raised under a silence, or not raised under a window). */
  unsent?: true;
}

/** What holds a site's notifications back at a check (watch/quiet.ts). */
export interface Cover {
  /** The maintenance window covering the check, and the end of its occurrence (ms); null for none. */
  window: { name: string; end: number } | null;
  /** The silence covering the check, from when; null for none. */
  silence: { since: number } | null;
}

/** A site's slowness: degraded is a state of its own inside `up`, with the same thresholds as down and up. */
export interface Slowness {
  /** Consecutive slow checks up to now, and the time of the first of them. */
  slow: number;
  slowSince: number | null;
  /** Degraded since (the first slow check of the streak that reached failureThreshold); null while not degraded. */
  since: number | null;
  /** While degraded: consecutive quick checks up to now, and the time of the first of them. */
  quick: number;
  quickSince: number | null;
  /** The latest slow check: its status and how slow. */
  cause: Cause | null;
}

/** A certificate a site served, and what was said about it. */
export interface CertRecord {
  fingerprint: string;
  subject: string;
  /** Expiry, ms since the epoch. */
  validTo: number;
  /** When it was last served. */
  lastSeen: number;
  /** The smallest warnDays threshold a cert-expiring event was raised for; null before any. */
  warned: number | null;
  /** Its warning was answered by a cert-renewed event (a certificate past every threshold was served). */
  renewed: boolean;
}

/** A certificate as an event tells of it. */
export interface CertFacts {
  fingerprint: string;
  subject: string;
  /** UTC ISO-8601. */
  validTo: string;
  /** Whole days left when the event was raised (rounded). */
  daysLeft: number;
}

/** The part of a Result the state machine looks at. */
export interface Check {
  ok: boolean;
  kind: Kind;
  status: number | null;
  error: string | null;
  /** Up but slower than expect.maxResponseMs: how slow, in words; null or absent when not. */
  slow?: string | null;
  /** https: the certificate that served the check; null or absent for none. */
  tls?: Pick<TlsInfo, 'fingerprint256' | 'subject' | 'validTo'> | null;
}

export interface Thresholds {
  /** Consecutive failed checks before a site counts as down (>= 1). */
  failureThreshold: number;
  /** Consecutive successful checks before a down site counts as up (>= 1). */
  successThreshold: number;
  /** Milliseconds from one alert to the `still-down` reminder; null for none. */
  repeatAfter: number | null;
  /** https: the days before a certificate's expiry at which `cert-expiring` is raised; none when absent. */
  certExpiry?: CertExpiry;
}

export type SiteEvent =
  /**
   * `maintenance`: the window the outage started in (raised at its end). `silencedSince`: the `down` of an
   * outage already recorded (its incident open) but held by a silence since then, told now that it ended.
   */
  | {
      type: 'down';
      at: number;
      downSince: number;
      cause: Cause;
      maintenance?: string;
      silencedSince?: number;
    }
  | { type: 'still-down'; at: number; downSince: number; downForMs: number; cause: Cause }
  | { type: 'up'; at: number; downSince: number; upSince: number; downForMs: number; cause: Cause | null }
  /** Up, but slower than maxResponseMs for failureThreshold checks in a row, since the first of them. */
  | { type: 'degraded'; at: number; since: number; cause: Cause }
  /** Degraded, then quick again for successThreshold checks in a row (from `until`). */
  | { type: 'recovered'; at: number; since: number; until: number; forMs: number; cause: Cause | null }
  /** A certificate crossed one of warnDays (`threshold`); once per certificate and threshold. */
  | { type: 'cert-expiring'; at: number; cert: CertFacts; threshold: number }
  /** A certificate past every threshold is served where one was warned about (`previous`). */
  | { type: 'cert-renewed'; at: number; cert: CertFacts; previous: CertFacts };

export interface Transition {
  next: SiteState;
  /** The change of up or down (down, still-down, up), or of speed (degraded, recovered). */
  event: SiteEvent | null;
  /** Events raised by the same check besides `event` (a degraded site coming up; certificates); absent for none. */
  more?: SiteEvent[];
  /** A silence holds the events back since then: recorded as always, sent to no channel; absent when not. */
  silenced?: number;
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
