import { lookup as dnsLookup } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, type buildConnector } from 'undici';

/** A name lookup with the shape of `dns.lookup` (single address). Injected by tests (a local DNS server). */
export type LookupFn = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => void;

/**
 * What happened to one request on its connection, stamped by the connector and the probe's handler
 * the moment each event is seen (performance.now() milliseconds).
 */
export interface Trace {
  /** When the probe handed the request to undici. */
  start: number;
  connectStart?: number;
  dnsEnd?: number;
  tcpEnd?: number;
  tlsEnd?: number;
  /** Request head about to be written. */
  sent?: number;
  /** Final (non-1xx) response head parsed. */
  headers?: number;
  /** Set when the deadline passed before the connection was handed to undici. */
  cancelled?: Error;
  socket?: net.Socket;
}

export interface HttpClientOptions {
  lookup?: LookupFn;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle and NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer | Array<string | Buffer>;
}

const defaultLookup: LookupFn = (hostname, cb) => dnsLookup(hostname, cb);

export function originKey(protocol: string, hostname: string, port: string | number): string {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const p = port === '' || port === undefined ? (protocol === 'https:' ? 443 : 80) : Number(port);
  return `${protocol}//${host}:${p}`;
}

/**
 * One shared undici Agent for a whole sweep, plus the bookkeeping that gives each check exact
 * timings.
 *
 * Why one connection per origin (`connections: 1`): the Agent then builds a plain Client per origin
 * instead of a Pool (less work per check), a site never gets more than one connection from us at
 * a time, and the connector can tell which request a new connection is for: the probe holds the
 * origin's gate while its request is in flight and registers its Trace under the origin key.
 * Why no keep-alive (`reset: true` on every request): a sweep touches each site once, so an idle
 * socket is only a held file descriptor; 10,000 sites must not mean 10,000 open sockets.
 */
export class HttpClient {
  readonly agent: Agent;
  private readonly traces = new Map<string, Trace>();
  private readonly gates = new Map<string, Promise<void>>();
  private readonly lookup: LookupFn;
  private readonly ca: HttpClientOptions['ca'];

  constructor(options: HttpClientOptions = {}) {
    this.lookup = options.lookup ?? defaultLookup;
    this.ca = options.ca;
    this.agent = new Agent({
      connections: 1,
      pipelining: 1,
      // Our own deadline (probe.ts) bounds every phase; undici's timers would only repeat that work.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: this.connect,
    });
  }

  /**
   * Wait until no other request of ours is in flight to this origin, then register `trace` for it.
   * Returns the release function.
   */
  async acquire(key: string, trace: Trace): Promise<() => void> {
    for (let i = 0; i < 100_000; i++) {
      const busy = this.gates.get(key);
      if (!busy) break;
      await busy;
    }
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gates.set(key, gate);
    this.traces.set(key, trace);
    return () => {
      if (this.gates.get(key) === gate) {
        this.gates.delete(key);
        this.traces.delete(key);
      }
      release();
    };
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }

  private readonly connect: buildConnector.connector = (opts, callback) => {
    const { protocol, hostname } = opts;
    const key = originKey(protocol, hostname, opts.port);
    const trace = this.traces.get(key);
    if (trace) trace.connectStart = performance.now();
    const secure = protocol === 'https:';
    const port = Number(opts.port) || (secure ? 443 : 80);
    let done = false;
    const finish = (err: Error | null, socket?: net.Socket) => {
      if (done) return;
      done = true;
      if (err) callback(err, null);
      else callback(null, socket as net.Socket);
    };
    const open = (address: string) => {
      if (trace?.cancelled) return finish(trace.cancelled);
      const socket = secure
        ? tls.connect({
            host: address,
            port,
            // SNI must not carry an IP address.
            servername: net.isIP(hostname) ? undefined : (opts.servername ?? hostname),
            ALPNProtocols: ['http/1.1'],
            ca: this.ca ? [...tls.rootCertificates, ...[this.ca].flat()] : undefined,
          })
        : net.connect({ host: address, port });
      socket.setNoDelay(true);
      if (trace) trace.socket = socket;
      const onError = (err: Error) => finish(err);
      socket.once('error', onError);
      socket.once('connect', () => {
        if (trace) trace.tcpEnd = performance.now();
        if (!secure) {
          socket.off('error', onError);
          finish(null, socket);
        }
      });
      if (secure) {
        socket.once('secureConnect', () => {
          if (trace) trace.tlsEnd = performance.now();
          socket.off('error', onError);
          finish(null, socket);
        });
      }
    };
    if (net.isIP(hostname)) {
      if (trace) trace.dnsEnd = trace.connectStart;
      open(hostname);
      return;
    }
    this.lookup(hostname, (err, address) => {
      if (trace) trace.dnsEnd = performance.now();
      if (err) return finish(err);
      open(address);
    });
  };
}
