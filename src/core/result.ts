import type { Method } from './site.js';

/**
 * Why a check came out as it did. `ok` for up sites; `unchecked` (queue mode only) for a site whose
 * result did not arrive by the sweep's deadline, which is neither up nor down; every other kind is an
 * outage a person can act on. Documented in the README; keep the two in step.
 */
export const KINDS = [
  'ok',
  'http-status',
  'dns',
  'refused',
  'reset',
  'timeout',
  'tls',
  'proxy',
  'protocol',
  'redirect-loop',
  'redirect-blocked',
  'assertion',
  'unchecked',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Timings {
  /** Name lookup; 0 for IP literals. */
  dnsMs: number | null;
  /** TCP connect. */
  connectMs: number | null;
  /** Through a proxy, https: opening the tunnel (CONNECT to the proxy until its answer); null without. */
  proxyMs?: number | null;
  /** TLS handshake; null for http:. */
  tlsMs: number | null;
  /** Request written to first byte of the response head. */
  ttfbMs: number | null;
  /** The whole final attempt, redirects and GET fallback included. */
  totalMs: number;
}

/** One assertion of `expect` as it ran: what it checks, and whether it held. */
export interface AssertionResult {
  /** The assertion in words: `body contains "Welcome"`, `$.status is "ok"`, `response within 500 ms`. */
  assertion: string;
  passed: boolean;
  /** Failed: what was found instead, shortened and without control characters. */
  message?: string;
}

/** The TLS connection that served the final request, and its leaf certificate. */
export interface TlsInfo {
  /** "TLSv1.3". */
  protocol: string | null;
  /** IANA name: "TLS_AES_256_GCM_SHA384". */
  cipher: string | null;
  /** "CN=example.com, O=Example". */
  subject: string;
  issuer: string;
  /** UTC ISO-8601. */
  validFrom: string;
  validTo: string;
  /** Whole days from the check to validTo, rounded; negative once expired. */
  daysLeft: number;
  /** SHA-256 of the certificate, "AB:CD:…": which certificate it is. */
  fingerprint256: string;
  /** The names it is valid for: "example.com", "*.example.com", "127.0.0.1". */
  altNames: string[];
}

/** Queue mode with locations: what one location saw of a site; `ok: null` (kind `unchecked`) for no result. */
export interface LocationResult {
  location: string;
  ok: boolean | null;
  kind: Kind;
  status: number | null;
  error: string | null;
  timings: Timings;
}

export interface Result {
  /** The site's URL with credentials and secret-looking query values redacted. */
  url: string;
  name: string | null;
  /** true: up; false: down; null: not checked (queue mode: no result by the deadline), never up. */
  ok: boolean | null;
  /** Final HTTP status; null when no HTTP response came. */
  status: number | null;
  /** The method that gave the verdict (GET after a HEAD refused with 405/501). */
  method: Method;
  kind: Kind;
  /** A sentence a person understands; null when up. */
  error: string | null;
  attempts: number;
  /** Redirects followed in the final attempt. */
  redirects: number;
  /** Timings of the final attempt. */
  timings: Timings;
  /** The whole check: every attempt and the pauses between them (0 when not checked). */
  durationMs: number;
  /** UTC ISO-8601 time the check started. */
  checkedAt: string;
  /** https: when the certificate of the connection that gave the verdict expires (UTC ISO-8601); absent otherwise. */
  certExpiresAt?: string;
  /** The HTTP version of the final response ("1.1", or "2" when the server chose h2 by ALPN); null without one. */
  httpVersion?: '1.1' | '2' | null;
  /** The address the final request's connection went to ("203.0.113.7:443", "[2001:db8::7]:443"); the proxy's through a proxy; null when none was made. */
  remoteAddress?: string | null;
  /** The proxy the final request went through, credentials masked; null for a direct connection. */
  proxy?: string | null;
  /** Something worth knowing that is not a failure (IPv6 failed, IPv4 answered); null for nothing. */
  note?: string | null;
  /** https: the TLS connection and leaf certificate that served the final request; null for http or without a handshake. */
  tls?: TlsInfo | null;
  /** https: the smallest of the site's certExpiry.warnDays the certificate is within; null when none. */
  certWarning?: number | null;
  /** The site's `expect` assertions in the order they ran (maxResponseMs included); absent without any. */
  assertions?: AssertionResult[];
  /** Up, but slower than expect.maxResponseMs; absent when the site sets no maxResponseMs. */
  degraded?: boolean;
  /** false for a site with tls.insecure: its certificate was not verified; absent otherwise. */
  tlsVerified?: boolean;
  /** Queue mode with locations: what each location saw; the fields above are the quorum's verdict. */
  locations?: LocationResult[];
}

/** Failures in which no HTTP response came at all: the kinds that can mean the monitor itself is offline. */
const NO_RESPONSE_KINDS: ReadonlySet<Kind> = new Set(['dns', 'refused', 'reset', 'timeout', 'tls', 'proxy']);

/**
 * True for a failed check that got no HTTP response and never had a connection to wait on: a lookup,
 * connect or TLS failure, a reset, or a timeout before the connection was made. Any HTTP status, 503
 * included, proves the monitor's own network works.
 */
export function gotNoResponse(r: Pick<Result, 'ok' | 'kind' | 'status' | 'timings'>): boolean {
  if (r.ok !== false || r.status !== null || !NO_RESPONSE_KINDS.has(r.kind)) return false;
  return r.kind !== 'timeout' || r.timings.connectMs === null;
}
