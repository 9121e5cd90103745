import { isIP } from 'node:net';
import type { Kind } from '../core/result.js';
import { formatMs } from '../util/time.js';
import { formatAddress } from './trace.js';

/** The phase a request was in when it failed or ran out of time. */
export type Phase = 'dns' | 'connect' | 'proxy' | 'tls' | 'headers' | 'body';

export interface Verdict {
  kind: Kind;
  message: string;
  /** Whether another attempt may give a different answer. */
  retryable: boolean;
}

/**
 * A failure whose verdict is known where it happens (the connector knows a proxy is to blame, or that a
 * name has no address of the family asked for): the connector hands it to the request as it is.
 */
export class ConnectFailure extends Error {
  constructor(readonly verdict: Verdict) {
    super(verdict.message);
    this.name = 'ConnectFailure';
  }
}

/** The most response-head bytes accepted: Chromium's limit (256 KiB); pages with 60+ KiB of cookies and CSP exist. */
export const MAX_HEADER_BYTES = 256 * 1024;

/** What a timed-out request had got to; the addresses and the proxy make the message point the right way. */
export interface TimeoutContext {
  hostname: string;
  /** Every address tried while connecting ("[::1]:443"), or the one being tried. */
  addresses: readonly string[];
  /** The proxy's label (credentials masked) when the request went through one. */
  proxy: string | null;
  /** "host:port" the tunnel was asked for. */
  authority: string;
}

export function timeoutVerdict(phase: Phase, timeoutMs: number, at: TimeoutContext): Verdict {
  const within = formatMs(timeoutMs);
  const to = at.addresses.length > 0 ? ` to ${at.addresses.join(', ')}` : '';
  if (at.proxy !== null && (phase === 'dns' || phase === 'connect')) {
    const step = phase === 'dns' ? 'its DNS lookup did not answer' : `it did not accept a connection${to}`;
    return {
      kind: 'proxy',
      message: `proxy ${at.proxy} is not reachable: ${step} within ${within}`,
      retryable: true,
    };
  }
  if (phase === 'dns') {
    return {
      kind: 'dns',
      message: `DNS lookup of ${at.hostname} did not answer within ${within}`,
      retryable: true,
    };
  }
  const waited =
    phase === 'connect'
      ? `to connect${to} (connect timeout)`
      : phase === 'proxy'
        ? `for proxy ${at.proxy} to open a tunnel to ${at.authority}`
        : phase === 'tls'
          ? 'for the TLS handshake (connect timeout)'
          : phase === 'headers'
            ? 'for the response headers (headers timeout)'
            : 'for the response body (body timeout)';
  return { kind: 'timeout', message: `no answer within ${within}: waited ${waited}`, retryable: true };
}

const TLS_MESSAGES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not valid yet (check the server clock)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain ends in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate issuer is unknown (incomplete certificate chain?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer is unknown (incomplete chain or private CA?)',
  UNABLE_TO_GET_ISSUER_CERT: 'TLS certificate issuer is unknown',
  CERT_REVOKED: 'TLS certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'TLS certificate signature is invalid',
  CERT_UNTRUSTED: 'TLS certificate is not trusted',
};

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

interface ErrorFacts {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  address?: unknown;
  port?: unknown;
  errors?: unknown;
  data?: unknown;
  reason?: unknown;
}

function text(err: unknown): { code: string; message: string } {
  const e = err as ErrorFacts | null;
  return {
    code: typeof e?.code === 'string' ? e.code : '',
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}

/** "127.0.0.1:8080" from a connect error, when it says. */
function addressOf(err: unknown): string | null {
  const e = err as ErrorFacts | null;
  return typeof e?.address === 'string' && typeof e.port === 'number'
    ? formatAddress(e.address, e.port)
    : null;
}

/** "refused", "unreachable (ENETUNREACH)", "timed out": what one connection attempt came to. */
export function attemptOutcome(err: unknown): string {
  const { code } = text(err);
  if (code === 'ECONNREFUSED') return 'refused';
  if (UNREACHABLE.has(code)) return `unreachable (${code})`;
  if (code === 'ETIMEDOUT') return 'timed out';
  return code || text(err).message;
}

/** A connection to every address of a name failed (Node's Happy Eyeballs reports an AggregateError). */
function everyAddressFailed(errors: readonly unknown[], host: string): Verdict {
  const each = errors.map((e) => `${addressOf(e) ?? '?'} ${attemptOutcome(e)}`).join(', ');
  const refused = errors.every((e) => text(e).code === 'ECONNREFUSED');
  const timedOut = errors.every((e) => text(e).code === 'ETIMEDOUT');
  return {
    kind: timedOut ? 'timeout' : 'refused',
    message: refused
      ? `connection refused by every address of ${host}: ${each}`
      : `no address of ${host} accepted a connection: ${each}`,
    retryable: true,
  };
}

const SETTINGS_FRAME = '\x04\x00\x00\x00\x00\x00';
const GOAWAY_FRAME = '\x07\x00\x00\x00\x00\x00';

/**
 * An HTTP/2 frame header (SETTINGS or GOAWAY on stream 0: type, flags 0, stream id 0) where an HTTP/1.1
 * status line should be. The parser (h1.ts) hands the first bytes over as text, so they are looked for as
 * characters.
 */
function looksLikeHttp2(data: unknown): boolean {
  const head =
    typeof data === 'string'
      ? data.slice(0, 12)
      : data instanceof Uint8Array
        ? String.fromCharCode(...data.subarray(0, 12))
        : '';
  return head.includes(SETTINGS_FRAME) || head.includes(GOAWAY_FRAME);
}

/** Turn a network error into a verdict a person can act on. Never a stack trace. `host` has no port. */
export function classifyError(err: unknown, host: string, phase: Phase): Verdict {
  if (err instanceof ConnectFailure) return err.verdict;
  const { code, message } = text(err);
  const e = err as ErrorFacts | null;
  if (Array.isArray(e?.errors) && e.errors.length > 0 && (phase === 'connect' || phase === 'dns')) {
    return everyAddressFailed(e.errors, host);
  }
  if (code === 'ENOTFOUND') {
    return { kind: 'dns', message: `host name ${host} not found (DNS)`, retryable: true };
  }
  if (code === 'ENODATA') {
    return { kind: 'dns', message: `host name ${host} has no address (DNS)`, retryable: true };
  }
  if (code === 'EAI_AGAIN' || code === 'ESERVFAIL' || code === 'ETIMEOUT' || code === 'ECONNREFUSED_DNS') {
    return {
      kind: 'dns',
      message: `DNS lookup of ${host} failed (${code}); the resolver may be down`,
      retryable: true,
    };
  }
  const address = addressOf(err);
  const by = address === null ? host : isIP(host.replace(/^\[|\]$/g, '')) ? address : `${host} (${address})`;
  if (code === 'ECONNREFUSED') {
    return {
      kind: 'refused',
      message: `connection refused by ${by} (nothing listening on that port?)`,
      retryable: true,
    };
  }
  if (UNREACHABLE.has(code)) {
    return { kind: 'refused', message: `${by} is unreachable from here (${code})`, retryable: true };
  }
  if (code === 'ETIMEDOUT') {
    return {
      kind: 'timeout',
      message: `connection to ${by} timed out in the network (ETIMEDOUT)`,
      retryable: true,
    };
  }
  if (TLS_MESSAGES[code]) return { kind: 'tls', message: TLS_MESSAGES[code], retryable: false };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = typeof e?.reason === 'string' ? e.reason : '';
    return {
      kind: 'tls',
      message: `TLS certificate is not valid for ${host}${reason ? `: ${reason}` : ''}`,
      retryable: false,
    };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /\bSSL\b|TLS/.test(message)) {
    const hint = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? ' (is that port plain HTTP?)' : '';
    return { kind: 'tls', message: `TLS handshake with ${host} failed: ${message}${hint}`, retryable: false };
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return {
      kind: 'protocol',
      message: `the response headers are too large (over ${MAX_HEADER_BYTES / 1024} KiB, the most a browser accepts)`,
      retryable: true,
    };
  }
  // Recognised by name too: undici's HTTPParserError (HTTP/2 connections) often has no `code`.
  if (code.startsWith('HPE_') || e?.name === 'HTTPParserError') {
    if (looksLikeHttp2(e?.data)) {
      return {
        kind: 'protocol',
        message: `${host} answered an HTTP/1.1 request with HTTP/2 frames: it speaks only HTTP/2 over cleartext (h2c, prior knowledge), which is not checked; HTTP/2 is negotiated over https`,
        retryable: false,
      };
    }
    return {
      kind: 'protocol',
      message: `the server sent an invalid HTTP response (${message})`,
      retryable: true,
    };
  }
  if (code === 'UND_ERR_SOCKET' && message === 'bad response') {
    return {
      kind: 'protocol',
      message: 'the server sent an unexpected response (unsolicited 100 Continue?)',
      retryable: true,
    };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_INFO' ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    code.startsWith('ERR_HTTP2_')
  ) {
    const where =
      phase === 'connect' || phase === 'tls' || phase === 'proxy'
        ? 'while connecting'
        : `while waiting for the response ${phase}`;
    return { kind: 'reset', message: `connection closed by ${host} ${where}`, retryable: true };
  }
  return {
    kind: 'protocol',
    message: `request failed: ${message}${code ? ` (${code})` : ''}`,
    retryable: true,
  };
}
