/**
 * Events as the daemon raises them: stored in the same transaction as the state change that caused
 * them, with an id that never changes and is never reused, then logged and handed to the `onEvents`
 * hook (where the notification outbox plugs in, keyed on `id`).
 */

import type { Cause, CertFacts, KindCounts } from './state.js';

export const EVENT_TYPES = [
  'down',
  'still-down',
  'up',
  'degraded',
  'recovered',
  'cert-expiring',
  'cert-renewed',
  'monitor-offline',
  'monitor-online',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventSite {
  /** Stable identity of the site in the store (a hash of its normalised URL). */
  key: string;
  /** The URL with secrets redacted, as reports show it. */
  url: string;
  name: string | null;
}

export interface WatchEvent {
  /** Unique and stable: AUTOINCREMENT in the store, so never reused after retention deletes rows. */
  id: number;
  sweepId: number;
  type: EventType;
  /** UTC ISO-8601 time the event was raised (the check that caused it). */
  at: string;
  /** The site; null for monitor events. */
  site: EventSite | null;
  /** The incident the event belongs to (down, still-down, up); null for monitor events. */
  incidentId: number | null;
  /** down, still-down: the failure; up: the last failure before the recovery. */
  cause: Cause | null;
  /** down, still-down, up: when the outage began (its first failed check). */
  downSince: string | null;
  /** still-down: how long so far; up: how long it lasted. */
  downForMs: number | null;
  /** monitor-offline: how many of the checks in the sweep got no HTTP response at all, of how many. */
  failed: number | null;
  checked: number | null;
  /** monitor-offline: those failures by kind; absent from events stored before database schema 3. */
  kinds?: KindCounts;
  /** degraded: since when the site has been slow; recovered: since when it had been. */
  degradedSince?: string | null;
  /** recovered: how long it was degraded. */
  degradedForMs?: number | null;
  /** cert-expiring, cert-renewed: the certificate served. */
  cert?: CertFacts;
  /** cert-expiring: the warnDays threshold crossed. */
  threshold?: number;
  /** cert-renewed: the certificate it replaces (the one warned about). */
  previous?: CertFacts;
  /** Raised while a silence (since then) held the site's notifications: recorded, sent to no channel. */
  silenced?: string;
  /** down: the outage was held by a silence since then, and is told now that the silence ended. */
  silencedSince?: string;
  /** down: the outage started during this maintenance window and is told at its end. */
  maintenance?: string;
}

/** What a sweep left behind, as the log and the `onEvents` hook see it. */
export interface SweepSummary {
  id: number;
  startedAt: string;
  finishedAt: string;
  /** Sites in the config when the sweep started. */
  sites: number;
  /** Checks that finished (fewer than `sites` when the sweep was aborted). */
  checked: number;
  up: number;
  down: number;
  /** `monitor-offline`: most checks failed, so no site changed state. */
  outcome: 'ok' | 'monitor-offline';
  /** Stopped by a signal before every check finished; the unfinished checks were not recorded. */
  aborted: boolean;
  /** Cron ticks that came while this sweep ran and were skipped. */
  skippedTicks: number;
}

/**
 * Runs after the sweep's transaction has committed, so every event it gets is already durable. It
 * should return quickly (enqueue, not send): the next sweep waits for it.
 */
export type EventsHook = (events: readonly WatchEvent[], sweep: SweepSummary) => void | Promise<void>;
export interface SkippedTick {
  /** Ticks skipped so far during the sweep in flight. */
  skipped: number;
  /** How long the sweep in flight has been running. */
  runningForMs: number;
}
