/**
 * Every bound on the status server, each with its reason (README, "Server limits"). The server shares the
 * daemon's event loop: these keep a slow or hostile client (slowloris, thousands of connections, a huge
 * request line) from holding memory or sockets, so the sweeps never notice it.
 */
export const SERVER_LIMITS = {
  /** A client must have sent its whole request head by then: a slowloris trickle is cut off. */
  headersTimeoutMs: 5_000,
  /** The whole request, body included (we read none): nothing stays open longer. */
  requestTimeoutMs: 10_000,
  /** An idle keep-alive connection is closed after this; browsers reconnect at no cost. */
  keepAliveTimeoutMs: 5_000,
  /** Any socket with no traffic for this long is destroyed. */
  idleTimeoutMs: 15_000,
  /** How often Node looks for connections past the two timeouts above (its default is 30 s). */
  checkIntervalMs: 1_000,
  /** Request line and headers together, in bytes: our routes need a few hundred. */
  maxHeaderBytes: 8 * 1024,
  /** Longest request target accepted (414 beyond): ids are short and the routes take one query key. */
  maxUrlLength: 1024,
  /** Open connections at once; more are refused at accept. A page, a scraper and a balancer need few. */
  maxConnections: 256,
  /** Requests on one keep-alive connection before it is closed. */
  maxRequestsPerSocket: 100,
} as const;

/** The same keys with any numbers: tests shorten the timeouts to see them act within a second. */
export type ServerLimits = { readonly [K in keyof typeof SERVER_LIMITS]: number };
