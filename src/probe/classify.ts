import type { Kind } from '../core/result.js';
import { formatMs } from '../util/time.js';

/** The phase a request was in when it failed or ran out of time. */
export type Phase = 'dns' | 'connect' | 'tls' | 'headers' | 'body';

export interface Verdict {
  kind: Kind;
  message: string;
  /** Whether another attempt may give a different answer. */
  retryable: boolean;
}

const PHASE_TEXT: Record<Phase, string> = {
  dns: 'for the DNS lookup',
  connect: 'to connect (connect timeout)',
  tls: 'for the TLS handshake (connect timeout)',
  headers: 'for the response headers (headers timeout)',
  body: 'for the response body (body timeout)',
};

export function timeoutVerdict(phase: Phase, timeoutMs: number, host: string): Verdict {
  if (phase === 'dns') {
    return {
      kind: 'dns',
      message: `DNS lookup of ${host} did not answer within ${formatMs(timeoutMs)}`,
      retryable: true,
    };
  }
  return {
    kind: 'timeout',
    message: `no answer within ${formatMs(timeoutMs)}: waited ${PHASE_TEXT[phase]}`,
    retryable: true,
  };
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

function text(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : '',
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}

/** Turn a network error into a verdict a person can act on. Never a stack trace. */
export function classifyError(err: unknown, host: string, phase: Phase): Verdict {
  const { code, message } = text(err);
  if (code === 'ENOTFOUND') {
    return { kind: 'dns', message: `host name ${host} not found (DNS)`, retryable: true };
  }
  if (code === 'EAI_AGAIN' || code === 'ESERVFAIL' || code === 'ETIMEOUT' || code === 'ECONNREFUSED_DNS') {
    return {
      kind: 'dns',
      message: `DNS lookup of ${host} failed (${code}); the resolver may be down`,
      retryable: true,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      kind: 'refused',
      message: `connection refused by ${host} (nothing listening on that port?)`,
      retryable: true,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return { kind: 'refused', message: `${host} is unreachable from here (${code})`, retryable: true };
  }
  if (code === 'ETIMEDOUT') {
    return {
      kind: 'timeout',
      message: `connection to ${host} timed out in the network (ETIMEDOUT)`,
      retryable: true,
    };
  }
  if (TLS_MESSAGES[code]) return { kind: 'tls', message: TLS_MESSAGES[code], retryable: false };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = (err as { reason?: string }).reason;
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
    return { kind: 'protocol', message: 'the response headers are too large (over 16 KiB)', retryable: true };
  }
  // undici's HTTPParserError looks its code up by number in a table keyed by name, so `code` is
  // usually undefined: recognise it by name too.
  if (code.startsWith('HPE_') || (err as { name?: unknown } | null)?.name === 'HTTPParserError') {
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
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
  ) {
    const where =
      phase === 'connect' || phase === 'tls' ? 'while connecting' : `while waiting for the response ${phase}`;
    return { kind: 'reset', message: `connection closed by ${host} ${where}`, retryable: true };
  }
  return {
    kind: 'protocol',
    message: `request failed: ${message}${code ? ` (${code})` : ''}`,
    retryable: true,
  };
}
