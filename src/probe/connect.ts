/**
 * Our connector for undici: opens each connection itself so that every step is timed (DNS, TCP, the
 * proxy's tunnel, TLS), tries every address of a dual-stack name the way browsers do, goes through a
 * proxy when the route has one, and offers HTTP/2 by ALPN.
 */

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import { SquirrelError } from '../core/errors.js';
import type { SiteTls } from '../core/site.js';
import { certificateOf } from './certificate.js';
import { attemptOutcome, ConnectFailure, classifyError } from './classify.js';
import { openTunnel, type ProxyTarget } from './proxy.js';
import { siteTlsOptions } from './site-tls.js';
import { type ConnectTimings, formatAddress, socketTimings } from './trace.js';

/** A name lookup returning every address, like `dns.lookup(name, { all: true })`. Injected by tests (a local DNS server). */
export type LookupFn = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: readonly LookupAddress[]) => void,
) => void;

export const defaultLookup: LookupFn = (hostname, callback) =>
  dnsLookup(hostname, { all: true }, (err, addresses) => callback(err, addresses ?? []));

/** RFC 8305's Connection Attempt Delay: how long one address has before the next is tried. */
const ATTEMPT_DELAY_MS = 250;

/** What curl and browsers offer, in their order; undici speaks HTTP/2 on a socket whose alpnProtocol is h2. */
const ALPN = ['h2', 'http/1.1'];

export function originKey(protocol: string, hostname: string, port: string | number): string {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const p = port === '' || port === undefined ? (protocol === 'https:' ? 443 : 80) : Number(port);
  return `${protocol}//${host}:${p}`;
}

/** The state of one route (direct, or through one proxy, for one address family) that its connector shares. */
export interface RouteState {
  readonly proxy: ProxyTarget | null;
  /** 0 for both families. */
  readonly family: 0 | 4 | 6;
  /** Requests of ours that undici has not finished with, per origin. */
  readonly inFlight: Map<string, number>;
  /** The latest connection attempt per origin, to name the step a check was in when it timed out. */
  readonly connecting: Map<string, ConnectTimings>;
  /** The latest failed attempt per origin, so the failed request keeps the timings measured before it. */
  readonly failed: Map<string, ConnectTimings>;
  /** Open HTTP/2 connections and their origin: undici keeps those open, so the route closes them. */
  readonly h2: Map<net.Socket, string>;
  /** The sites' own TLS settings this route connects with; undefined for the defaults. */
  readonly siteTls?: SiteTls | undefined;
}

export interface ConnectorOptions {
  lookup: LookupFn;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle. */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  connectTimeoutMs: number;
  /** Sockets still connecting, destroyed by the client's close() so no attempt outlives the sweep. */
  pending: Set<net.Socket>;
}

/** IPv6 first, each family in the resolver's order: the order Happy Eyeballs interleaves them in. */
function ordered(addresses: readonly LookupAddress[], family: 0 | 4 | 6): LookupAddress[] {
  if (family !== 0) return addresses.filter((a) => a.family === family);
  return [...addresses.filter((a) => a.family === 6), ...addresses.filter((a) => a.family !== 6)];
}

export function createConnector(route: RouteState, options: ConnectorOptions): buildConnector.connector {
  // Made once, when first needed: a `ca` given per connection would parse every root certificate each
  // time (over 100 ms under load).
  let secureContext: tls.SecureContext | undefined;
  const contextFor = (): tls.SecureContext | undefined => {
    if (!options.ca) return undefined;
    secureContext ??= tls.createSecureContext({ ca: [...tls.rootCertificates, ...[options.ca].flat()] });
    return secureContext;
  };
  const { proxy, family } = route;

  return (opts, callback) => {
    const { protocol, hostname } = opts;
    const key = originKey(protocol, hostname, opts.port);
    // When we abort a request past its deadline, undici's Client reconnects as its socket closes, with
    // nothing of ours left to send: a second connection to a server that already did not answer, and
    // a held socket. Every request of ours counts in inFlight before it is dispatched, so a connection
    // asked for while none is in flight serves nobody.
    if ((route.inFlight.get(key) ?? 0) === 0) {
      callback(new SquirrelError('US_ERR_IDLE_CONNECT', `no request of ours is waiting for ${key}`), null);
      return;
    }
    const timings: ConnectTimings = { connectStart: performance.now() };
    route.connecting.set(key, timings);
    if (route.failed.size > 0) route.failed.delete(key);
    const secure = protocol === 'https:';
    const originPort = Number(opts.port) || (secure ? 443 : 80);
    // Through a proxy, the connection goes to the proxy; the origin is named in CONNECT or the request line.
    const host = proxy ? proxy.hostname : hostname;
    const port = proxy ? proxy.port : originPort;
    let tcp: net.Socket | null = null;
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
      clearTimeout(timer);
      if (route.connecting.get(key) === timings) route.connecting.delete(key);
      if (tcp) options.pending.delete(tcp);
      if (socket) options.pending.delete(socket);
      if (err) {
        socket?.destroy();
        tcp?.destroy();
        route.failed.set(key, timings);
        // Past the tunnel (or without a proxy) the site is the one to blame.
        callback(
          timings.proxyEnd === undefined && timings.tlsEnd === undefined ? blameProxy(err) : err,
          null,
        );
        return;
      }
      const s = socket as net.Socket;
      socketTimings.set(s, timings);
      if (timings.h2) {
        route.h2.set(s, key);
        s.once('close', () => route.h2.delete(s));
      }
      callback(null, s);
    };
    const timer = setTimeout(() => {
      finish(
        new SquirrelError(
          'US_ERR_CONNECT_TIMEOUT',
          `connecting took longer than ${options.connectTimeoutMs} ms`,
        ),
      );
    }, options.connectTimeoutMs);
    timer.unref();

    const startTls = (under: net.Socket) => {
      let own: ReturnType<typeof siteTlsOptions> | undefined;
      try {
        own = route.siteTls && siteTlsOptions(route.siteTls, options.ca);
      } catch (error) {
        // A file of the site's tls settings gone or changed since the config was loaded.
        const message = `the site's tls settings cannot be used: ${(error as Error).message}`;
        return finish(new ConnectFailure({ kind: 'tls', message, retryable: false }));
      }
      const s = tls.connect({
        socket: under,
        // SNI must not carry an IP address.
        servername: own?.servername ?? (net.isIP(hostname) ? undefined : (opts.servername ?? hostname)),
        ALPNProtocols: ALPN,
        secureContext: own ? own.secureContext : contextFor(),
        rejectUnauthorized: own ? own.rejectUnauthorized : true,
      });
      socket = s;
      options.pending.add(s);
      s.once('error', finish);
      s.once('secureConnect', () => {
        timings.tlsEnd = performance.now();
        // For the result's tls, the status page and the certificate metric; a handshake that passed has one.
        timings.certificate = certificateOf(s);
        if (timings.certificate) timings.certExpiresAt = timings.certificate.validTo;
        if (s.alpnProtocol === 'h2') timings.h2 = s;
        finish(null);
      });
    };
    const connected = (s: net.Socket) => {
      timings.tcpEnd = performance.now();
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
      else finish(null);
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
      tcp = s;
      socket = s;
      options.pending.add(s);
      s.setNoDelay(true);
      s.once('error', finish);
      s.once('connect', () => connected(s));
    };

    const literal = net.isIP(host);
    if (literal !== 0) {
      timings.dnsEnd = timings.connectStart;
      if (family !== 0 && literal !== family) {
        return finish(
          new ConnectFailure({
            kind: 'dns',
            message: `${host} is an IPv${literal} address, and ipFamily is ${family}`,
            retryable: false,
          }),
        );
      }
      return open([{ address: host, family: literal }]);
    }
    options.lookup(host, (err, found) => {
      timings.dnsEnd = performance.now();
      if (err) return finish(err);
      const addresses = ordered(found, family);
      if (addresses.length > 0) return open(addresses);
      const message =
        found.length === 0
          ? `host name ${host} has no address (DNS)`
          : `host name ${host} has no IPv${family} address (ipFamily ${family}; it has ${found.map((a) => a.address).join(', ')})`;
      finish(new ConnectFailure({ kind: 'dns', message, retryable: found.length === 0 }));
    });
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
  timings: ConnectTimings,
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
