/** A site to check and the options of its check: the probe spec every stage shares. */

export const METHODS = ['HEAD', 'GET', 'POST', 'PUT', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** A request body as sent: its text, and the content-type it goes with unless the site's headers name one. */
export interface RequestBody {
  text: string;
  contentType: string;
}

/** An inclusive range of accepted HTTP status codes; a single code has min === max. */
export interface StatusRange {
  min: number;
  max: number;
}

/** Per-site check options; `defaults` in the config holds the same keys. */
export interface CheckOptions {
  method: Method;
  timeoutMs: number;
  expectStatus: StatusRange[];
  headers: Record<string, string>;
  maxRedirects: number;
  retries: number;
  /** watch: consecutive failed checks (one per sweep) before the site counts as down. */
  failureThreshold: number;
  /** watch: consecutive successful checks before a down site counts as up again. */
  successThreshold: number;
  /** watch: milliseconds between `still-down` reminders while the site stays down; null for none. */
  repeatAfter: number | null;
  /** watch: the channels (by name) that alert for the site; undefined for all of them. */
  notify?: string[] | undefined;
  /** Connect over IPv4 (4) or IPv6 (6) only; undefined for both (IPv6 first, Happy Eyeballs). */
  ipFamily?: 4 | 6 | undefined;
  /** An http:// proxy URL; null for none whatever the environment says; undefined: HTTP(S)_PROXY and NO_PROXY decide. */
  proxy?: string | null | undefined;
  /** Sent with POST, PUT or OPTIONS; undefined for none. */
  body?: RequestBody | undefined;
}

export interface Site extends CheckOptions {
  /** The URL as written in the config (after ${VAR} substitution), not normalised. */
  url: string;
  /** Display name; null when the config gives none. */
  name: string | null;
  /** The status page's heading for the site; null or absent for none. */
  group?: string | null;
}

export const DEFAULT_OPTIONS: CheckOptions = {
  method: 'HEAD',
  timeoutMs: 10_000,
  expectStatus: [{ min: 200, max: 399 }],
  headers: {},
  maxRedirects: 5,
  retries: 1,
  // Each check already retries, so one failed sweep is a real failure.
  failureThreshold: 1,
  successThreshold: 1,
  repeatAfter: null,
  // Absent means every channel; listed (as undefined) so that the option is known like the others.
  notify: undefined,
  ipFamily: undefined,
  proxy: undefined,
  body: undefined,
};

/** The pause before each retry of a check (the probe's default; tests shorten it). */
export const RETRY_PAUSE_MS = 500;

/**
 * The longest a check can take: `timeoutMs` bounds each attempt, and a timed-out attempt is retried
 * like any other network failure, so (retries + 1) x timeoutMs plus a pause before each retry.
 */
export function checkBoundMs(options: Pick<CheckOptions, 'timeoutMs' | 'retries'>): number {
  return (options.retries + 1) * options.timeoutMs + options.retries * RETRY_PAUSE_MS;
}

export interface HeartbeatConfig {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  timeoutMs: number;
}

export interface SummaryConfig {
  /** Cron expression. */
  schedule: string;
  /** Channel names; null for all. */
  channels: string[] | null;
  /** IANA time zone of the schedule; null for the system's. */
  timeZone: string | null;
}
