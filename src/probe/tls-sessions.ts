/**
 * TLS sessions kept per origin, so that a long-running monitor (watch) resumes its handshakes from the
 * second sweep on: an abbreviated handshake skips the certificate chain and its verification, the
 * costliest part of a check over https.
 *
 * Kept per origin, name sent (SNI) and trust settings (site-tls.ts): a session made under one set of
 * settings (say, `insecure`) is never offered under another. A session is offered only within the
 * lifetime the server gave it (the ticket's lifetime hint, else the session's timeout), and never more
 * than MAX_AUTH_AGE_MS after the full handshake that checked the certificate: a resumed handshake shows
 * no certificate, so the one of that handshake is reported, and a renewed (or revoked) certificate
 * shows within that time.
 */

import type { TLSSocket } from 'node:tls';
import { TtlCache } from '../util/ttl-cache.js';
import type { CertificateSeen } from './certificate.js';

/** A full handshake, with the certificate verified afresh, at least this often per origin. */
export const MAX_AUTH_AGE_MS = 3_600_000;
/** TLS 1.3 caps a ticket's life at 7 days (RFC 8446, 4.6.1); the same cap for older sessions. */
const MAX_LIFETIME_S = 7 * 86_400;
/** OpenSSL's and Node's default session timeout, for a session that states none. */
const DEFAULT_LIFETIME_S = 300;
/** Offered only while a tenth of its life remains, so that it does not expire on the way. */
const MARGIN = 0.9;
/** Origins kept at most: more than the longest lists; a session with its certificate is 1-3 KB. */
const MAX_ENTRIES = 50_000;

export interface KeptSession {
  session: Buffer;
  /** The certificate as the last full handshake showed it. */
  certificate: CertificateSeen | undefined;
  /** When that full handshake was (ms since the epoch). */
  authenticatedAt: number;
}

/** Reads one DER length at `at`: [length, offset of the content]. */
function derLength(der: Buffer, at: number): [number, number] {
  const first = der[at] ?? 0;
  if (first < 0x80) return [first, at + 1];
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 1; i <= bytes; i++) length = length * 256 + (der[at + i] ?? 0);
  return [length, at + 1 + bytes];
}

/**
 * The lifetime in seconds an OpenSSL session (DER of SSL_SESSION, as Node gives it) states: its ticket's
 * lifetime hint ([9]), else its timeout ([2]); undefined when it states neither or cannot be read.
 */
export function sessionLifetimeS(der: Buffer): number | undefined {
  const found = new Map<number, number>();
  try {
    if (der[0] !== 0x30) return undefined;
    const [length, start] = derLength(der, 1);
    const end = Math.min(der.length, start + length);
    let at = start;
    while (at < end) {
      const tag = der[at] as number;
      const [size, content] = derLength(der, at + 1);
      // [2] and [9] are EXPLICIT: an INTEGER inside.
      if ((tag === 0xa2 || tag === 0xa9) && der[content] === 0x02) {
        const [intSize, intAt] = derLength(der, content + 1);
        let value = 0;
        for (let i = 0; i < intSize; i++) value = value * 256 + (der[intAt + i] as number);
        found.set(tag, value);
      }
      at = content + size;
    }
  } catch {
    return undefined;
  }
  const lifetime = found.get(0xa9) || found.get(0xa2);
  return lifetime === undefined || lifetime <= 0 ? undefined : lifetime;
}

export class TlsSessionCache {
  private readonly kept: TtlCache<string, KeptSession>;

  constructor(
    maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {
    this.kept = new TtlCache(maxEntries, now);
  }

  get size(): number {
    return this.kept.size;
  }

  /** The session to offer a new connection under `key`, if one is still good. */
  offer(key: string): KeptSession | undefined {
    return this.kept.get(key);
  }

  /**
   * Keeps what the server gives `socket` (under `key`) to resume with. Call before its handshake.
   * `offered`: what offer() gave it; `certificate`: the certificate its handshake showed.
   */
  follow(
    socket: TLSSocket,
    key: string,
    offered: KeptSession | undefined,
    certificate: () => CertificateSeen | undefined,
  ): void {
    socket.on('session', (session: Buffer) => {
      const resumed = offered !== undefined && socket.isSessionReused();
      const now = this.now();
      const authenticatedAt = resumed ? offered.authenticatedAt : now;
      const seen = resumed ? offered.certificate : certificate();
      const lifetimeS = Math.min(sessionLifetimeS(session) ?? DEFAULT_LIFETIME_S, MAX_LIFETIME_S);
      const expiresAt = Math.min(
        now + lifetimeS * 1000 * MARGIN,
        authenticatedAt + MAX_AUTH_AGE_MS,
        seen?.validTo ?? Number.POSITIVE_INFINITY,
      );
      this.kept.set(key, { session, certificate: seen, authenticatedAt }, expiresAt);
    });
    // A handshake that failed (the server changed, or its certificate no longer passes) leaves nothing
    // to resume; an error after it (undici closing the connection when done) says nothing of the session.
    let secured = false;
    socket.once('secureConnect', () => {
      secured = true;
    });
    socket.once('error', () => {
      if (!secured) this.kept.delete(key);
    });
  }
}

let shared: TlsSessionCache | undefined;

/** The process's session cache: one for every sweep of watch (one per worker in the pooled modes). */
export function sharedTlsSessions(): TlsSessionCache {
  shared ??= new TlsSessionCache();
  return shared;
}
