/**
 * What one request saw, stamped the moment each event happens: the connection's steps (our connector
 * fills those in) joined to the request that used the connection.
 */

import diagnostics from 'node:diagnostics_channel';
import type net from 'node:net';
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
  /** The server chose HTTP/2: the connection to close once its request is done (undici keeps h2 sessions open). */
  h2?: net.Socket;
}

/** What happened to one request. */
export interface Trace extends Partial<ConnectTimings> {
  /** When the probe handed the request to undici. */
  start: number;
  /** Request head about to be written. */
  sent?: number;
  /** Final (non-1xx) response head parsed. */
  headers?: number;
}

/**
 * Which request a connection serves: undici writes a request right after calling the handler's
 * onConnect, and in the same synchronous call publishes `undici:client:sendHeaders` with the socket
 * (over HTTP/1.1 and HTTP/2 alike). The probe marks its Trace as `writing` in onConnect; the subscriber
 * below joins it to the timings our connector stored for that socket. Exact, with any number of
 * connections per origin.
 */
export const socketTimings = new WeakMap<net.Socket, ConnectTimings>();
let writing: Trace | null = null;

diagnostics.subscribe('undici:client:sendHeaders', (message) => {
  const { socket } = message as { socket: net.Socket };
  const trace = writing;
  writing = null;
  // Only our own connections: another undici user in this process publishes here too.
  const timings = trace && socketTimings.get(socket);
  if (trace && timings) Object.assign(trace, timings);
});

/** Called by the probe from onConnect: the next request head written is this trace's. */
export function markWriting(trace: Trace | null): void {
  writing = trace;
}

/** "127.0.0.1:80", "[::1]:443". */
export function formatAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
