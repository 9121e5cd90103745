import diagnostics from 'node:diagnostics_channel';
import { lookup as dnsLookup } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, type buildConnector, type Dispatcher } from 'undici';
import { SquirrelError } from '../core/errors.js';

/** A name lookup with the shape of `dns.lookup` (single address). Injected by tests (a local DNS server). */
export type LookupFn = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => void;

/** When each step of opening a connection finished (performance.now() milliseconds). */
export interface ConnectTimings {
  connectStart: number;
  dnsEnd?: number;
  tcpEnd?: number;
  tlsEnd?: number;
  /** When the server's TLS certificate expires (ms since the epoch), read at the handshake. */
  certExpiresAt?: number;
}

/** What happened to one request, stamped the moment each event is seen. */
export interface Trace extends Partial<ConnectTimings> {
  /** When the probe handed the request to undici. */
  start: number;
  /** Request head about to be written. */
  sent?: number;
  /** Final (non-1xx) response head parsed. */
  headers?: number;
}

export interface HttpClientOptions {
  lookup?: LookupFn;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle and NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Longest time a connection attempt may take (the sweep's longest check timeout). A check that
   * times out while connecting ends at its own deadline; this bounds the attempt it leaves behind.
   */
  connectTimeoutMs?: number;
}

const defaultLookup: LookupFn = (hostname, cb) => dnsLookup(hostname, cb);

export function originKey(protocol: string, hostname: string, port: string | number): string {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const p = port === '' || port === undefined ? (protocol === 'https:' ? 443 : 80) : Number(port);
  return `${protocol}//${host}:${p}`;
}

/**
 * Which request a connection serves: undici writes a request right after calling the handler's
 * onConnect, and in the same synchronous call publishes `undici:client:sendHeaders` with the
 * socket. The probe marks its Trace as `writing` in onConnect; the subscriber below joins it to the
 * timings our connector stored for that socket. Exact, with any number of connections per origin.
 */
const socketTimings = new WeakMap<net.Socket, ConnectTimings>();
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

/**
 * The undici Agent shared by a whole sweep, with a connector of our own that times the DNS, TCP and
 * TLS steps of every connection.
 *
 * Why no keep-alive (`reset: true` on every request, see probe.ts): a sweep touches each site once,
 * so an idle socket is only a held file descriptor; 10,000 sites must not mean 10,000 open sockets.
 * The sweep's concurrency (p-limit) bounds the requests in flight, and so the sockets, in total.
 *
 * Why two dispatchers: the Agent builds a plain Client per origin (`connections: 1`), the cheapest
 * path and the common case (one check per origin at a time); undici's default, a Pool per origin,
 * cost twice the CPU per check in the benchmark. A Client serves one request at a time, so a check
 * whose origin already has one of ours in flight goes to `crowd`, an Agent of Pools, rather than
 * queueing in the Client while its own deadline runs.
 */
export class HttpClient {
  readonly agent: Agent;
  private readonly crowd: Agent;
  /** Requests of ours that undici has not finished with, per origin. */
  private readonly inFlight = new Map<string, number>();
  /** The latest connection attempt per origin, to name the step a check was in when it timed out. */
  private readonly connecting = new Map<string, ConnectTimings>();
  /** Sockets still connecting, destroyed by close() so no attempt outlives the sweep. */
  private readonly pending = new Set<net.Socket>();
  private readonly lookup: LookupFn;
  private readonly ca: HttpClientOptions['ca'];
  private readonly connectTimeoutMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.lookup = options.lookup ?? defaultLookup;
    this.ca = options.ca;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const common = {
      pipelining: 1,
      // Our own deadline (probe.ts) bounds every phase; undici's timers would only repeat that work.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: this.connect,
    };
    this.agent = new Agent({ ...common, connections: 1 });
    this.crowd = new Agent(common);
  }

  /** Send a request; `onDone` must be called once undici has finished with it (complete or error). */
  dispatch(key: string, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const busy = this.inFlight.get(key) ?? 0;
    this.inFlight.set(key, busy + 1);
    (busy === 0 ? this.agent : this.crowd).dispatch(opts, handler);
  }

  /** undici has finished with one request to this origin. */
  done(key: string): void {
    const busy = (this.inFlight.get(key) ?? 1) - 1;
    if (busy > 0) this.inFlight.set(key, busy);
    else this.inFlight.delete(key);
  }

  /** The step the latest connection attempt to this origin has reached, if one is under way. */
  connectingStep(key: string): 'dns' | 'connect' | 'tls' | null {
    const t = this.connecting.get(key);
    if (!t) return null;
    if (t.dnsEnd === undefined) return 'dns';
    return t.tcpEnd === undefined ? 'connect' : 'tls';
  }

  async close(): Promise<void> {
    for (const socket of this.pending) socket.destroy();
    this.pending.clear();
    await Promise.all([this.agent.destroy(), this.crowd.destroy()]);
  }

  private readonly connect: buildConnector.connector = (opts, callback) => {
    const { protocol, hostname } = opts;
    const key = originKey(protocol, hostname, opts.port);
    // When we abort a request past its deadline, undici's Client reconnects as its socket closes, with
    // nothing of ours left to send: a second connection to a server that already did not answer, and
    // a held socket. Every request of ours counts in inFlight before it is dispatched, so a connection
    // asked for while none is in flight serves nobody.
    if ((this.inFlight.get(key) ?? 0) === 0) {
      callback(new SquirrelError('US_ERR_IDLE_CONNECT', `no request of ours is waiting for ${key}`), null);
      return;
    }
    const timings: ConnectTimings = { connectStart: performance.now() };
    this.connecting.set(key, timings);
    const secure = protocol === 'https:';
    const port = Number(opts.port) || (secure ? 443 : 80);
    let socket: net.Socket | null = null;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (this.connecting.get(key) === timings) this.connecting.delete(key);
      if (socket) this.pending.delete(socket);
      if (err) {
        socket?.destroy();
        callback(err, null);
      } else {
        socketTimings.set(socket as net.Socket, timings);
        callback(null, socket as net.Socket);
      }
    };
    const timer = setTimeout(() => {
      finish(
        new SquirrelError(
          'US_ERR_CONNECT_TIMEOUT',
          `connecting took longer than ${this.connectTimeoutMs} ms`,
        ),
      );
    }, this.connectTimeoutMs);
    timer.unref();
    const open = (address: string) => {
      if (done) return;
      const s = secure
        ? tls.connect({
            host: address,
            port,
            // SNI must not carry an IP address.
            servername: net.isIP(hostname) ? undefined : (opts.servername ?? hostname),
            ALPNProtocols: ['http/1.1'],
            ca: this.ca ? [...tls.rootCertificates, ...[this.ca].flat()] : undefined,
          })
        : net.connect({ host: address, port });
      socket = s;
      this.pending.add(s);
      s.setNoDelay(true);
      s.once('error', (err) => finish(err));
      s.once('connect', () => {
        timings.tcpEnd = performance.now();
        if (!secure) finish(null);
      });
      if (secure) {
        s.once('secureConnect', () => {
          timings.tlsEnd = performance.now();
          // For the status page and the certificate metric; a handshake that passed has a certificate.
          const expires = Date.parse((s as tls.TLSSocket).getPeerCertificate().valid_to ?? '');
          if (Number.isFinite(expires)) timings.certExpiresAt = expires;
          finish(null);
        });
      }
    };
    if (net.isIP(hostname)) {
      timings.dnsEnd = timings.connectStart;
      open(hostname);
      return;
    }
    this.lookup(hostname, (err, address) => {
      timings.dnsEnd = performance.now();
      if (err) return finish(err);
      open(address);
    });
  };
}
