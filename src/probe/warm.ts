/**
 * Warms the send path before a process's first real check, so that check is not timed while V8 compiles
 * it. In a fresh process the first request paid ~1-2 ms in `net.connect` (Node's socket and TCP handle
 * code run for the first time) and ~2-3 ms more in our own code run for the first time (the request
 * writer, h1.ts's reader, the timings, the result): all of it counted as the site's connect, time to
 * first byte and total, where curl measures 0.45 ms against nginx on loopback (docs/BENCHMARKS.md, fast
 * sites).
 *
 * Nothing leaves the process: one whole check runs on a socket of our own that answers a canned
 * response, and Node's connect is run on a socket destroyed before it connects (for an IP address,
 * `net.connect` opens the connection on the next tick; a socket destroyed before then never does).
 */

import net from 'node:net';
import type { Result } from '../core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { type ConnectCallback, type Connector, type ConnectTarget, createConnector } from './connect.js';
import { HttpClient, type LookupFn } from './http.js';
import { probe } from './probe.js';

/** What the canned socket answers every request with. */
const CANNED = Buffer.from(
  'HTTP/1.1 200 OK\r\nServer: warm-up\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
);

/** A socket that is never connected: what is written to it is answered with CANNED, on a later turn. */
class CannedSocket extends net.Socket {
  override _write(
    _chunk: unknown,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    callback();
    // As a real answer comes: from the event loop, after the write returned.
    setImmediate(() => {
      if (!this.destroyed) this.push(CANNED);
    });
  }
}

/** Stamps the steps as the real connector would, and hands over a CannedSocket on the next tick. */
const cannedConnector = (): Connector => (target, timings, callback: ConnectCallback) => {
  timings.connectStart = performance.now();
  timings.dnsEnd = timings.connectStart;
  timings.remoteAddress = `${target.hostname}:${target.port}`;
  const socket = new CannedSocket();
  process.nextTick(() => {
    timings.tcpEnd = performance.now();
    callback(null, socket);
  });
  return () => socket.destroy();
};

const noLookup: LookupFn = (hostname, callback) =>
  callback(Object.assign(new Error(`no lookup in the warm-up (${hostname})`), { code: 'ENOTFOUND' }), []);

/**
 * Node's own connect path, to `target`, on a socket destroyed before its connection is opened: the
 * connector's code and Node's run, and nothing is sent.
 */
function warmConnect(target: ConnectTarget): void {
  const connect = createConnector({ proxy: null, family: 0 }, { lookup: noLookup });
  const cancel = connect(target, {}, () => {});
  cancel();
}

/**
 * Node's connect to `http://127.0.0.1:<port>/` on a socket that never connects, then one HEAD check of
 * that URL on a canned socket; resolves with the canned check's result once what each left to the event
 * loop (the sockets' close) has run, so none of it runs inside the first real check. `port` only names
 * the address (a test listens on it, to see that nothing arrives).
 */
export async function rehearse(userAgent: string, port: number): Promise<Result> {
  warmConnect({ secure: false, hostname: '127.0.0.1', port });
  const client = new HttpClient({ lookup: noLookup, connector: cannedConnector, env: {} });
  const site: Site = { ...DEFAULT_OPTIONS, url: `http://127.0.0.1:${port}/`, name: null, retries: 0 };
  try {
    return await probe(site, { client, userAgent });
  } finally {
    await client.close();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let warmed: Promise<unknown> | null = null;

/**
 * Once per process, before its first real check (later calls wait for the first): costs about the CPU it
 * spares that check, a millisecond or two.
 */
export async function warmUp(userAgent: string): Promise<void> {
  warmed ??= rehearse(userAgent, 9).catch(() => {});
  await warmed;
}
