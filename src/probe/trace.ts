/**
 * What one request saw, stamped the moment each event happens: the connection's steps (our connector
 * fills those in) and the request's own on the same object, since every request has a connection of
 * its own.
 */

import type { CertificateSeen } from './certificate.js';

/** One connection: when each step of opening it finished (performance.now() ms), and where it went. */
export interface ConnectTimings {
  connectStart: number;
  dnsEnd?: number;
  tcpEnd?: number;
  /** Through a proxy, https: the proxy's 200 to our CONNECT. */
  proxyEnd?: number;
  tlsEnd?: number;
  /** When the server's TLS certificate expires (ms since the epoch), read at the handshake. */
  certExpiresAt?: number;
  /** The leaf certificate, protocol and cipher of the handshake (https). */
  certificate?: CertificateSeen;
  /** "ip:port" connected to, or being tried. */
  remoteAddress?: string;
  /** A name with several addresses: each tried so far ("[::1]:443"), in order. */
  tried?: string[];
  /** Something worth saying about an attempt that worked (an address failed before another answered). */
  note?: string;
  /** The server chose HTTP/2 (ALPN). */
  h2?: boolean;
}

/** What happened to one request. */
export interface Trace extends Partial<ConnectTimings> {
  /** When the probe started the request (before connecting). */
  start: number;
  /** Request head written (right after the connection's last step). */
  sent?: number;
  /** The read that completed the final (non-1xx) response head. */
  headers?: number;
}

/** "127.0.0.1:80", "[::1]:443". */
export function formatAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
