/**
 * Queue-mode defaults, in a module of their own: the CLI declares its options with them at start-up,
 * and importing them must not load BullMQ and ioredis (~300 ms) for every command.
 */

/** `check --mode queue` without --deadline. */
export const DEFAULT_DEADLINE_MS = 5 * 60_000;

/**
 * Without --wait-for-workers: a sweep with no worker connected says so after this long, instead of
 * waiting out its deadline; long enough for a worker being restarted (systemd) to come back.
 */
export const DEFAULT_WAIT_FOR_WORKERS_MS = 5_000;

/**
 * BullMQ's defaults (30 s lock, 30 s stalled check) take a killed worker's batch back after up to about
 * 90 s: lock expiry, then one check to mark the job, one to move it. 15 s and 5 s make that at most
 * 15 + 2 x 5 = 25 s. The lock is renewed every 7.5 s, which a checker's event loop, never busy for
 * long, keeps up with easily.
 */
export const DEFAULT_LOCK_DURATION_MS = 15_000;
export const DEFAULT_STALLED_INTERVAL_MS = 5_000;
