import { isIP } from 'node:net';
import type { CheckOptions, Site, SiteTls } from '../core/site.js';
import type { Verdict } from './classify.js';
import {
  type Connector,
  type ConnectorOptions,
  createConnector,
  type LookupFn,
  type RouteState,
} from './connect.js';
import { type DnsLookup, sharedDnsLookup } from './dns.js';
import { type EnvProxies, envProxies, type ProxyTarget, parseProxy, proxyFromEnv } from './proxy.js';
import { siteTlsKey } from './site-tls.js';
import { sharedTlsSessions } from './tls-sessions.js';

export type { LookupFn } from './connect.js';

export interface HttpClientOptions {
  /** Default: the process's concurrent, TTL-cached lookup (dns.ts), asking `dnsServers` or the system's. */
  lookup?: LookupFn | undefined;
  /** DNS servers to ask instead of the system's (--dns-server); the hosts file is still read first. */
  dnsServers?: readonly string[] | undefined;
  /**
   * Keep TLS sessions to resume in later sweeps (watch): the process's session cache. A single sweep
   * (check) does not keep them, since it would never resume one.
   */
  keepTlsSessions?: boolean | undefined;
  /** Extra trusted CA certificates (PEM), on top of Node's bundle and NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read (process.env by default). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Makes each route's connector; default createConnector (warm.ts gives one that never leaves the process). */
  connector?: ConnectorFactory | undefined;
}

export type ConnectorFactory = (route: RouteState, options: ConnectorOptions) => Connector;

/**
 * One way out: direct or through one proxy, over both address families or one, with the sites' own TLS
 * settings or the defaults. Every request gets a connection of its own from `connect`.
 */
export class Route implements RouteState {
  readonly connect: Connector;

  constructor(
    readonly proxy: ProxyTarget | null,
    readonly family: 0 | 4 | 6,
    /** Why this route cannot be used (a proxy URL from the environment that is not one); null when it can. */
    readonly problem: Verdict | null,
    options: ConnectorOptions & { connector: ConnectorFactory },
    /** The sites' own TLS settings (tls in the config); undefined for the defaults. */
    readonly siteTls?: SiteTls,
  ) {
    this.connect = options.connector(this, options);
  }
}

/**
 * The routes shared by a whole sweep, with a connector of our own that times the DNS, TCP, proxy and TLS
 * steps of every connection, and the connections still open.
 *
 * Why no keep-alive (`connection: close` on every request, each connection closed once its verdict is
 * known, see send.ts): a sweep touches each site once, so an idle socket is only a held file descriptor;
 * 10,000 sites must not mean 10,000 open sockets. The sweep's concurrency (p-limit) bounds the requests
 * in flight, and so the sockets, in total.
 */
export class HttpClient {
  private readonly direct: Route;
  /** Routes other than the direct one, by family and proxy URL; made when first needed. */
  private readonly routes = new Map<string, Route>();
  private readonly env: EnvProxies | null;
  private readonly options: ConnectorOptions & { connector: ConnectorFactory };

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      lookup: options.lookup ?? sharedDnsLookup(options.dnsServers),
      ca: options.ca,
      sessions: options.keepTlsSessions ? sharedTlsSessions() : undefined,
      connector: options.connector ?? createConnector,
    };
    this.env = envProxies(options.env ?? process.env);
    this.direct = new Route(null, 0, null, this.options);
  }

  /** The way out for a request to `url`: the site's own proxy (or none), else the environment's. */
  route(url: URL, site: Pick<CheckOptions, 'proxy' | 'ipFamily' | 'tls'>): Route {
    const proxy = site.proxy === undefined ? this.env && proxyFromEnv(this.env, url) : site.proxy;
    const family = site.ipFamily ?? 0;
    // A site's own TLS settings need a route (a connector and secure context) of their own.
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

  /**
   * Starts looking up the name of a site about to be checked (a sweep's look-ahead, in-process.ts), so
   * that its check finds the answer ready. Only where the check would look it up itself (a direct route,
   * not an IP address: a proxy resolves its own), and only with dns.ts's lookup, which keeps the answer
   * for the check; another (injected) one would be asked twice.
   */
  lookAhead(site: Pick<Site, 'url' | 'proxy' | 'ipFamily' | 'tls'>): void {
    const ahead = (this.options.lookup as Partial<DnsLookup>).ahead;
    if (ahead === undefined) return;
    let url: URL;
    try {
      url = new URL(site.url);
    } catch {
      return; // the check says what is wrong with it
    }
    // An IPv6 address is the only hostname in brackets.
    if (url.hostname.startsWith('[') || isIP(url.hostname) !== 0) return;
    const route = this.route(url, site);
    if (route.proxy === null && route.problem === null) ahead(url.hostname);
  }

  /** Connections of requests still under way: close() ends them, so nothing outlives the sweep. */
  readonly open = new Set<() => void>();

  async close(): Promise<void> {
    for (const stop of this.open) stop();
    this.open.clear();
  }
}
