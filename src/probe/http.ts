import type net from 'node:net';
import { Agent, type Dispatcher, errors } from 'undici';
import type { CheckOptions, SiteTls } from '../core/site.js';
import { MAX_HEADER_BYTES, type Verdict } from './classify.js';
import {
  type ConnectorOptions,
  createConnector,
  defaultLookup,
  type LookupFn,
  type RouteState,
} from './connect.js';
import { type EnvProxies, envProxies, type ProxyTarget, parseProxy, proxyFromEnv } from './proxy.js';
import { siteTlsKey } from './site-tls.js';
import type { ConnectTimings } from './trace.js';

export type { LookupFn } from './connect.js';
export { originKey } from './connect.js';

export interface HttpClientOptions {
  lookup?: LookupFn | undefined;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle and NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /**
   * Longest time a connection attempt may take (the sweep's longest check timeout). A check that
   * times out while connecting ends at its own deadline; this bounds the attempt it leaves behind.
   */
  connectTimeoutMs?: number | undefined;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read (process.env by default). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Closes an HTTP/2 connection whose request is done; undici takes this error as information, not a failure. */
const CHECK_DONE = new errors.InformationalError('check done: HTTP/2 connection closed');

/**
 * One way out: direct or through one proxy, over both address families or one. Each has its own
 * dispatchers, since undici keys connections by origin alone.
 *
 * Why two dispatchers: the Agent builds a plain Client per origin (`connections: 1`), the cheapest
 * path and the common case (one check per origin at a time); undici's default, a Pool per origin,
 * cost twice the CPU per check in the benchmark. A Client serves one request at a time, so a check
 * whose origin already has one of ours in flight goes to `crowd`, an Agent of Pools, rather than
 * queueing in the Client while its own deadline runs.
 */
export class Route implements RouteState {
  readonly inFlight = new Map<string, number>();
  readonly connecting = new Map<string, ConnectTimings>();
  readonly failed = new Map<string, ConnectTimings>();
  readonly h2 = new Map<net.Socket, string>();
  private readonly agent: Agent;
  private readonly crowd: Agent;

  constructor(
    readonly proxy: ProxyTarget | null,
    readonly family: 0 | 4 | 6,
    /** Why this route cannot be used (a proxy URL from the environment that is not one); null when it can. */
    readonly problem: Verdict | null,
    options: ConnectorOptions,
    /** The sites' own TLS settings (tls in the config); undefined for the defaults. */
    readonly siteTls?: SiteTls,
  ) {
    const common = {
      pipelining: 1,
      // Our own deadline (send.ts) bounds every phase; undici's timers would only repeat that work.
      headersTimeout: 0,
      bodyTimeout: 0,
      maxHeaderSize: MAX_HEADER_BYTES,
      // With a connector of its own, undici only passes allowH2 on to it: ours offers h2 by ALPN whatever,
      // and undici speaks HTTP/2 on any socket whose alpnProtocol is 'h2'. Set for what it says.
      allowH2: true,
      connect: createConnector(this, options),
    };
    this.agent = new Agent({ ...common, connections: 1 });
    this.crowd = new Agent(common);
  }

  /** Send a request; `done` must be called once undici has finished with it (complete or error). */
  dispatch(key: string, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const busy = this.inFlight.get(key) ?? 0;
    this.inFlight.set(key, busy + 1);
    (busy === 0 ? this.agent : this.crowd).dispatch(opts, handler);
  }

  /**
   * undici has finished with one request to this origin. Its HTTP/2 connection, if it had one, is
   * closed (HTTP/1.1 ones close themselves: we ask for `connection: close`), and once none of ours is
   * left for the origin, so is any HTTP/2 connection a timed-out check left behind.
   */
  done(key: string, h2: net.Socket | undefined): void {
    h2?.destroy(CHECK_DONE);
    const busy = (this.inFlight.get(key) ?? 1) - 1;
    if (busy > 0) {
      this.inFlight.set(key, busy);
      return;
    }
    this.inFlight.delete(key);
    if (this.h2.size === 0) return;
    for (const [socket, origin] of this.h2) if (origin === key) socket.destroy(CHECK_DONE);
  }

  /** The step the latest connection attempt to this origin has reached, if one is under way. */
  connectingStep(key: string): 'dns' | 'connect' | 'proxy' | 'tls' | null {
    const t = this.connecting.get(key);
    if (!t) return null;
    if (t.dnsEnd === undefined) return 'dns';
    if (t.tcpEnd === undefined) return 'connect';
    return this.proxy && t.proxyEnd === undefined && key.startsWith('https:') ? 'proxy' : 'tls';
  }

  /** The timings of the attempt to this origin that just failed, once. */
  takeFailure(key: string): ConnectTimings | undefined {
    const t = this.failed.get(key);
    if (t) this.failed.delete(key);
    return t;
  }

  close(): Promise<unknown> {
    return Promise.all([this.agent.destroy(), this.crowd.destroy()]);
  }
}

/**
 * The dispatchers shared by a whole sweep, with a connector of our own that times the DNS, TCP, proxy
 * and TLS steps of every connection.
 *
 * Why no keep-alive (`reset: true` on every request, see send.ts; HTTP/2 connections closed by Route.done):
 * a sweep touches each site once, so an idle socket is only a held file descriptor; 10,000 sites must
 * not mean 10,000 open sockets. The sweep's concurrency (p-limit) bounds the requests in flight, and so
 * the sockets, in total.
 */
export class HttpClient {
  private readonly direct: Route;
  /** Routes other than the direct one, by family and proxy URL; made when first needed. */
  private readonly routes = new Map<string, Route>();
  private readonly env: EnvProxies | null;
  private readonly options: ConnectorOptions;

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      lookup: options.lookup ?? defaultLookup,
      ca: options.ca,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      pending: new Set(),
    };
    this.env = envProxies(options.env ?? process.env);
    this.direct = new Route(null, 0, null, this.options);
  }

  /** The way out for a request to `url`: the site's own proxy (or none), else the environment's. */
  route(url: URL, site: Pick<CheckOptions, 'proxy' | 'ipFamily' | 'tls'>): Route {
    const proxy = site.proxy === undefined ? this.env && proxyFromEnv(this.env, url) : site.proxy;
    const family = site.ipFamily ?? 0;
    // A site's own TLS settings need connections of their own (undici keys connections by origin alone).
    const own = url.protocol === 'https:' ? site.tls : undefined;
    if (!proxy && family === 0 && own === undefined) return this.direct;
    const id = `${family} ${proxy ?? ''} ${siteTlsKey(own)}`;
    let route = this.routes.get(id);
    if (!route) {
      route = this.makeRoute(proxy || null, family, site.proxy === undefined, own);
      this.routes.set(id, route);
    }
    return route;
  }

  private makeRoute(proxyUrl: string | null, family: 0 | 4 | 6, fromEnv: boolean, own?: SiteTls): Route {
    if (proxyUrl === null) return new Route(null, family, null, this.options, own);
    const target = parseProxy(proxyUrl);
    if (!('problem' in target)) return new Route(target, family, null, this.options, own);
    const where = fromEnv ? 'the proxy from HTTP_PROXY/HTTPS_PROXY' : 'the proxy';
    const problem: Verdict = {
      kind: 'proxy',
      message: `${where} cannot be used: ${target.problem}`,
      retryable: false,
    };
    return new Route(null, family, problem, this.options);
  }

  async close(): Promise<void> {
    for (const socket of this.options.pending) socket.destroy();
    this.options.pending.clear();
    await Promise.all([this.direct.close(), ...[...this.routes.values()].map((r) => r.close())]);
  }
}
