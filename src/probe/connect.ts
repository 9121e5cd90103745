/**
 * Our connector: opens each connection itself so that every step is timed at its own socket event (DNS,
 * TCP, the proxy's tunnel, TLS), tries every address of a dual-stack name the way browsers do, goes
 * through a proxy when the route has one, and offers HTTP/2 by ALPN.
 *
 * The seams: names are resolved through `ConnectorOptions.lookup` (a LookupFn, by default dns.ts's), and
 * TLS connects with the secure context shared by every connection under the same trust settings
 * (site-tls.ts), resuming a session kept from an earlier sweep when `ConnectorOptions.sessions` is given
 * (tls-sessions.ts).
 */

import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { SiteTls } from '../core/site.js';
import { certificateOf, readLeafOnce } from './certificate.js';
import { attemptOutcome, ConnectFailure, classifyError } from './classify.js';
import { openTunnel, type ProxyTarget } from './proxy.js';
import { type Trust, trustFor } from './site-tls.js';
import type { TlsSessionCache } from './tls-sessions.js';
import { type ConnectTimings, formatAddress } from './trace.js';

/**
 * A name lookup returning every address, like `dns.lookup(name, { all: true })`: by default the
 * process's concurrent, TTL-cached one (dns.ts); tests inject one asking a local DNS server.
 */
export type LookupFn = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: readonly LookupAddress[]) => void,
) => void;

/** RFC 8305's Connection Attempt Delay: how long one address has before the next is tried. */
const ATTEMPT_DELAY_MS = 250;

/** What curl and browsers offer, in their order; a socket whose alpnProtocol is h2 goes to h2.ts. */
const ALPN = ['h2', 'http/1.1'];

/** What one route (direct, or through one proxy, for one address family) connects with. */
export interface RouteState {
  readonly proxy: ProxyTarget | null;
  /** 0 for both families. */
  readonly family: 0 | 4 | 6;
  /** The sites' own TLS settings this route connects with; undefined for the defaults. */
  readonly siteTls?: SiteTls | undefined;
}

export interface ConnectorOptions {
  lookup: LookupFn;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle. */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /** TLS sessions to resume (watch, across sweeps); none kept without it. */
  sessions?: TlsSessionCache | undefined;
}

/** Where one connection goes: the origin (the connector goes through the route's proxy to it). */
export interface ConnectTarget {
  secure: boolean;
  /** Without brackets. */
  hostname: string;
  port: number;
}

/** Gets the connected socket (TLS done, with its alpnProtocol), or why there is none. */
export type ConnectCallback = (err: Error | null, socket: net.Socket | null) => void;

/**
 * Opens one connection and stamps each step in `timings` as its event fires. Returns a function that
 * stops the attempt (the check's deadline passed, the sweep was aborted): the socket is destroyed and
 * the callback is not called.
 */
export type Connector = (
  target: ConnectTarget,
  timings: Partial<ConnectTimings>,
  callback: ConnectCallback,
) => () => void;

/** IPv6 first, each family in the resolver's order: the order Happy Eyeballs interleaves them in. */
function ordered(addresses: readonly LookupAddress[], family: 0 | 4 | 6): LookupAddress[] {
  if (family !== 0) return addresses.filter((a) => a.family === family);
  return [...addresses.filter((a) => a.family === 6), ...addresses.filter((a) => a.family !== 6)];
}

export function createConnector(route: RouteState, options: ConnectorOptions): Connector {
  // Looked up once per route, when first needed: shared by every connection under the same trust.
  let trust: Trust | undefined;
  const trustOf = (): Trust => {
    trust ??= trustFor(route.siteTls, options.ca);
    return trust;
  };
  const { proxy, family } = route;

  return (target, timings, callback) => {
    const { secure, hostname, port: originPort } = target;
    timings.connectStart = performance.now();
    // Through a proxy, the connection goes to the proxy; the origin is named in CONNECT or the request line.
    const host = proxy ? proxy.hostname : hostname;
    const port = proxy ? proxy.port : originPort;
    let socket: net.Socket | null = null;
    let done = false;

    const blameProxy = (err: Error): Error => {
      if (!proxy || err instanceof ConnectFailure) return err;
      const step = timings.dnsEnd === undefined ? 'dns' : 'connect';
      const why = classifyError(err, proxy.hostname, step).message;
      const verdict =
        timings.tcpEnd === undefined
          ? {
              kind: 'proxy' as const,
              message: `proxy ${proxy.label} is not reachable: ${why}`,
              retryable: true,
            }
          : {
              kind: 'proxy' as const,
              message: `proxy ${proxy.label} failed while opening a tunnel to ${hostname}:${originPort} (${attemptOutcome(err)})`,
              retryable: true,
            };
      return new ConnectFailure(verdict);
    };
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      if (err) {
        socket?.destroy();
        // Past the tunnel (or without a proxy) the site is the one to blame.
        callback(
          timings.proxyEnd === undefined && timings.tlsEnd === undefined ? blameProxy(err) : err,
          null,
        );
        return;
      }
      callback(null, socket);
    };
    const cancel = () => {
      if (done) return;
      done = true;
      socket?.destroy();
    };

    const startTls = (under: net.Socket) => {
      let t: Trust;
      try {
        t = trustOf();
      } catch (error) {
        // A file of the site's tls settings gone or changed since the config was loaded.
        const message = `the site's tls settings cannot be used: ${(error as Error).message}`;
        return finish(new ConnectFailure({ kind: 'tls', message, retryable: false }));
      }
      // SNI must not carry an IP address.
      const servername = t.servername ?? (net.isIP(hostname) ? undefined : hostname);
      const { sessions } = options;
      const sessionKey = sessions && `${t.id} ${hostname}:${originPort} ${servername ?? ''}`;
      const offered = sessionKey === undefined ? undefined : sessions?.offer(sessionKey);
      const s = tls.connect({
        socket: under,
        servername,
        ALPNProtocols: ALPN,
        secureContext: t.secureContext,
        rejectUnauthorized: t.rejectUnauthorized,
        ...(offered ? { session: offered.session } : {}),
      });
      socket = s;
      readLeafOnce(s);
      if (sessionKey !== undefined) sessions?.follow(s, sessionKey, offered, () => timings.certificate);
      s.once('error', finish);
      s.once('secureConnect', () => {
        timings.tlsEnd = performance.now();
        // For the result's tls, the status page and the certificate metric; a handshake that passed has
        // one. A resumed one shows none: the certificate is the one its session was made with.
        timings.certificate = offered && s.isSessionReused() ? offered.certificate : certificateOf(s);
        if (timings.certificate) timings.certExpiresAt = timings.certificate.validTo;
        if (s.alpnProtocol === 'h2') timings.h2 = true;
        finish(null);
      });
    };
    const connected = (s: net.Socket) => {
      timings.tcpEnd = performance.now();
      if (done) return;
      if (proxy && secure) {
        openTunnel(
          s,
          proxy,
          `${hostname.includes(':') ? `[${hostname}]` : hostname}:${originPort}`,
          (err) => {
            if (err) return finish(err);
            timings.proxyEnd = performance.now();
            startTls(s);
          },
        );
      } else if (secure) startTls(s);
      else {
        finish(null);
      }
    };
    const open = (addresses: readonly LookupAddress[]) => {
      if (done) return;
      let s: net.Socket;
      const [only] = addresses;
      if (addresses.length === 1 && only) {
        timings.remoteAddress = formatAddress(only.address, port);
        s = net.connect({ host: only.address, port });
      } else {
        s = happyEyeballs(addresses, host, port, timings);
      }
      socket = s;
      s.setNoDelay(true);
      s.once('error', finish);
      s.once('connect', () => connected(s));
    };

    const literal = net.isIP(host);
    if (literal !== 0) {
      timings.dnsEnd = timings.connectStart;
      if (family !== 0 && literal !== family) {
        finish(
          new ConnectFailure({
            kind: 'dns',
            message: `${host} is an IPv${literal} address, and ipFamily is ${family}`,
            retryable: false,
          }),
        );
        return cancel;
      }
      open([{ address: host, family: literal }]);
      return cancel;
    }
    options.lookup(host, (err, found) => {
      timings.dnsEnd = performance.now();
      if (done) return;
      if (err) return finish(err);
      const addresses = ordered(found, family);
      if (addresses.length > 0) return open(addresses);
      const message =
        found.length === 0
          ? `host name ${host} has no address (DNS)`
          : `host name ${host} has no IPv${family} address (ipFamily ${family}; it has ${found.map((a) => a.address).join(', ')})`;
      finish(new ConnectFailure({ kind: 'dns', message, retryable: found.length === 0 }));
    });
    return cancel;
  };
}

/**
 * Node's Happy Eyeballs (RFC 8305): the addresses in turn, IPv6 first, each with ATTEMPT_DELAY_MS before
 * the next starts. Records each address tried, and when an address failed before another answered, a
 * note saying so.
 */
function happyEyeballs(
  addresses: readonly LookupAddress[],
  host: string,
  port: number,
  timings: Partial<ConnectTimings>,
): net.Socket {
  const tried: string[] = [];
  const failures: string[] = [];
  timings.tried = tried;
  const s = net.connect({
    host,
    port,
    autoSelectFamily: true,
    autoSelectFamilyAttemptTimeout: ATTEMPT_DELAY_MS,
    lookup: (_name, _options, cb) => cb(null, addresses as LookupAddress[]),
  });
  s.on('connectionAttempt', (ip: string, p: number) => {
    const address = formatAddress(ip, p);
    tried.push(address);
    timings.remoteAddress = address;
  });
  s.on('connectionAttemptFailed', (ip: string, p: number, _family: number, err: unknown) => {
    failures.push(`${formatAddress(ip, p)} ${attemptOutcome(err)}`);
  });
  s.on('connectionAttemptTimeout', (ip: string, p: number) => {
    failures.push(`${formatAddress(ip, p)} did not answer within ${ATTEMPT_DELAY_MS} ms`);
  });
  s.once('connect', () => {
    const address = formatAddress(s.remoteAddress ?? '', s.remotePort ?? port);
    timings.remoteAddress = address;
    if (failures.length > 0) {
      timings.note = `connected over IPv${s.remoteFamily === 'IPv6' ? 6 : 4} to ${address} after ${failures.join(', ')}`;
    }
  });
  return s;
}
