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

/**
 * A value found in the response, checked against the config: equal to a JSON value, matching a regular
 * expression (RE2 syntax: linear time whatever the text), or present (true) or absent (false).
 */
export type ValueCheck = { equals: unknown } | { matches: string } | { exists: boolean };

/** Assertions on the response (`expect` in the config, `status` aside: that is expectStatus). */
export interface Expect {
  /** Strings the body must contain, each. */
  bodyContains?: string[];
  /** Strings the body must not contain, any. */
  bodyNotContains?: string[];
  /** A regular expression (RE2 syntax) the body must match somewhere. */
  bodyMatches?: string;
  /** JMESPath expression (such as `$.status` or `checks[?name=='db'].ok | [0]`) -> what its value must be. */
  json?: Record<string, ValueCheck>;
  /** Lower-case header name -> what its value (repeated headers joined with ", ") must be. */
  headers?: Record<string, ValueCheck>;
  /** Slower than this (the final attempt, ms): up, but degraded. */
  maxResponseMs?: number;
}

/** Whether the assertions need the response body (the check is then a GET, never a HEAD). */
export function readsBody(expect: Expect | undefined): boolean {
  if (expect === undefined) return false;
  return (
    expect.bodyContains !== undefined ||
    expect.bodyNotContains !== undefined ||
    expect.bodyMatches !== undefined ||
    expect.json !== undefined
  );
}

/** When a certificate close to its expiry is worth a warning. */
export interface CertExpiry {
  /** Days before the expiry at which to warn, largest first (`[]`: never). */
  warnDays: number[];
}

/** A site's own TLS settings (`tls`); file paths are absolute once the config is loaded. */
export interface SiteTls {
  /** PEM file of CA certificates trusted for this site, on top of the system's. */
  ca?: string;
  /** The name sent by SNI and verified against the certificate, instead of the URL's host. */
  servername?: string;
  /** PEM files of a client certificate and its key (mTLS). */
  cert?: string;
  key?: string;
  /** The key's passphrase (a secret: `${VAR}`). */
  passphrase?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Accept any certificate (expired, self-signed, another name); it is still reported. */
  insecure?: boolean;
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
  /** watch: milliseconds between this site's checks (whole seconds); undefined to follow `--schedule`. */
  interval?: number | undefined;
  /** watch: the channels (by name) that alert for the site; undefined for all of them. */
  notify?: string[] | undefined;
  /** Connect over IPv4 (4) or IPv6 (6) only; undefined for both (IPv6 first, Happy Eyeballs). */
  ipFamily?: 4 | 6 | undefined;
  /** An http:// proxy URL; null for none whatever the environment says; undefined: HTTP(S)_PROXY and NO_PROXY decide. */
  proxy?: string | null | undefined;
  /** Sent with POST, PUT or OPTIONS; undefined for none. */
  body?: RequestBody | undefined;
  /** Assertions on the response; undefined for none (the status alone decides, as it always did). */
  expect?: Expect | undefined;
  /** The most response-body bytes read for the assertions (after decompression); more is a failure. */
  maxBodyBytes: number;
  /** https: when a certificate close to its expiry is warned about. */
  certExpiry: CertExpiry;
  /** https: the site's own trust, name, client certificate and version; undefined for the defaults. */
  tls?: SiteTls | undefined;
}

export interface Site extends CheckOptions {
  /** The URL as written in the config (after ${VAR} substitution), not normalised. */
  url: string;
  /** Display name; null when the config gives none. */
  name: string | null;
  /** The status page's heading for the site; null or absent for none. */
  group?: string | null;
  /** Queue mode with locations: the locations this site is checked from (narrowing the sweep's); absent: all. */
  locations?: string[];
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
  // Absent: the site follows --schedule, as every site did before intervals.
  interval: undefined,
  // Absent means every channel; listed (as undefined) so that the option is known like the others.
  notify: undefined,
  ipFamily: undefined,
  proxy: undefined,
  body: undefined,
  expect: undefined,
  maxBodyBytes: 1024 * 1024,
  certExpiry: { warnDays: [30, 14, 7, 1] },
  tls: undefined,
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
