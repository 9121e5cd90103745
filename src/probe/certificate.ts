/**
 * The certificate that served a request: read from the TLS socket once its handshake is done (the
 * connector calls `certificateOf` on secureConnect), and put into words on the result (`tlsInfo`) and
 * against the site's warning thresholds (`certWarning`).
 */

import { type PeerCertificate, TLSSocket } from 'node:tls';
import type { TlsInfo } from '../core/result.js';

const DAY_MS = 86_400_000;

/** What the handshake showed: the leaf certificate as Node reads it, and the protocol and cipher agreed. */
export interface CertificateSeen {
  certificate: PeerCertificate;
  protocol: string | null;
  cipher: string | null;
  /** valid_to, ms since the epoch. */
  validTo: number;
}

const readLeaf = TLSSocket.prototype.getPeerCertificate;

/**
 * Makes `socket` read its peer's leaf certificate once, for the host name check and for certificateOf.
 * Call it right after tls.connect. Why: on every full handshake Node's tls.connect asks for the
 * detailed certificate (the whole chain, each certificate copied and parsed again by OpenSSL, and the
 * root looked up in the trust store) only to hand it to checkServerIdentity, which reads the leaf's
 * subject and alt names; then certificateOf read the leaf once more. Those reads were about 11% of the
 * CPU of a check over https (perf, 2,000 ECDSA origins; copying a certificate re-parses it, and OpenSSL
 * 3.0 parses slowly). Verification is unchanged: OpenSSL still verifies the chain, and
 * checkServerIdentity still checks the same names of the same leaf.
 */
export function readLeafOnce(socket: TLSSocket): void {
  let leaf: PeerCertificate | undefined;
  // Own property over the prototype's: this socket is ours, and nothing asks it for the chain.
  socket.getPeerCertificate = (() => {
    leaf ??= readLeaf.call(socket, false);
    return leaf;
  }) as TLSSocket['getPeerCertificate'];
}

/** Called by the connector on secureConnect; undefined when the peer showed no certificate. */
export function certificateOf(socket: TLSSocket): CertificateSeen | undefined {
  const certificate = socket.getPeerCertificate();
  const validTo = Date.parse(certificate?.valid_to ?? '');
  if (!Number.isFinite(validTo)) return undefined;
  const cipher = socket.getCipher();
  return {
    certificate,
    protocol: socket.getProtocol(),
    cipher: cipher?.standardName ?? cipher?.name ?? null,
    validTo,
  };
}

/** "CN=example.com, O=Example": a distinguished name as Node parses it, fields in its order. */
function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (name === undefined || name === null) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => [value].flat().map((v) => `${key}=${v}`))
    .join(', ');
}

/** "DNS:example.com, IP Address:127.0.0.1" -> ["example.com", "127.0.0.1"]; other kinds keep their prefix. */
function altNamesOf(san: string | undefined): string[] {
  if (!san) return [];
  return san
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(?:DNS|IP Address):/, ''))
    .filter((entry) => entry !== '');
}

function iso(text: string | undefined): string {
  const ms = Date.parse(text ?? '');
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** The result's `tls`, with the days left counted from `now`. */
export function tlsInfo(seen: CertificateSeen, now: number): TlsInfo {
  const c = seen.certificate;
  return {
    protocol: seen.protocol,
    cipher: seen.cipher,
    subject: distinguishedName(c.subject as unknown as Record<string, string | string[]>),
    issuer: distinguishedName(c.issuer as unknown as Record<string, string | string[]>),
    validFrom: iso(c.valid_from),
    validTo: new Date(seen.validTo).toISOString(),
    daysLeft: daysLeft(seen.validTo, now),
    fingerprint256: c.fingerprint256 ?? '',
    altNames: altNamesOf(c.subjectaltname),
  };
}

/** Whole days from `now` to the expiry, rounded: a certificate issued for 3 days reads 3 just after. */
export function daysLeft(validTo: number, now: number): number {
  return Math.round((validTo - now) / DAY_MS);
}

/**
 * The smallest of `warnDays` that the time left is within (so a certificate 5 days from its expiry, with
 * [30, 14, 7, 1], is under 7), or null when it is within none. Counted in exact time, not rounded days.
 */
export function certWarning(validTo: number, warnDays: readonly number[], now: number): number | null {
  const left = validTo - now;
  let under: number | null = null;
  for (const days of warnDays) if (left <= days * DAY_MS && (under === null || days < under)) under = days;
  return under;
}
