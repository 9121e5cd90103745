import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { trustFor } from '../../src/probe/site-tls.js';
import { sessionLifetimeS, TlsSessionCache } from '../../src/probe/tls-sessions.js';
import { asyncStrategy } from '../../src/strategies/async.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { caCert, tlsFixture } from '../helpers/tls.js';

const { defer } = useCleanup();
const CA = caCert().toString();

interface CountingServer {
  port: number;
  full: number;
  resumed: number;
  close(): Promise<void>;
}

/** An https server (test CA, for localhost and 127.0.0.1) counting full and resumed handshakes. */
async function countingServer(port = 0, options: { sessionTimeout?: number } = {}): Promise<CountingServer> {
  const server: Server = createServer({ ...tlsFixture('server'), ...options }, (_req, res) => res.end());
  const counts = { full: 0, resumed: 0 };
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.isSessionReused()) counts.resumed++;
    else counts.full++;
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  defer(close);
  return {
    port: (server.address() as AddressInfo).port,
    get full() {
      return counts.full;
    },
    get resumed() {
      return counts.resumed;
    },
    close,
  };
}

/** One sweep of the async mode, as watch (keepTlsSessions) or check runs it. */
function sweep(sites: Site[], keepTlsSessions: boolean): Promise<Result[]> {
  return asyncStrategy.run(sites, {
    concurrency: 8,
    userAgent: USER_AGENT,
    secrets: [],
    ca: CA,
    keepTlsSessions,
  });
}

const up = (results: Result[]) => results.map((r) => `${r.kind} ${r.status}`);

describe('TLS: sessions resumed across sweeps, contexts shared per trust settings', () => {
  it('watch resumes every handshake from the second sweep on; the certificate is still reported', async () => {
    const servers = await Promise.all([1, 2, 3, 4].map(() => countingServer()));
    const sites = servers.map((s) => site(`https://localhost:${s.port}/`));

    const first = await sweep(sites, true);
    expect(up(first)).toEqual(sites.map(() => 'ok 200'));
    expect(servers.map((s) => [s.full, s.resumed])).toEqual(sites.map(() => [1, 0]));

    const second = await sweep(sites, true);
    expect(up(second)).toEqual(sites.map(() => 'ok 200'));
    expect(servers.map((s) => [s.full, s.resumed])).toEqual(sites.map(() => [1, 1]));
    // A resumed handshake shows no certificate: the one of the full handshake is reported.
    expect(second.map((r) => r.certExpiresAt)).toEqual(first.map((r) => r.certExpiresAt));
    expect(second.map((r) => r.tls?.subject)).toEqual(first.map((r) => r.tls?.subject));
    expect(second[0]?.certExpiresAt).toBeDefined();

    // And every sweep after (the server gives no new ticket on resumption: the first one is kept).
    expect(up(await sweep(sites, true))).toEqual(sites.map(() => 'ok 200'));
    expect(servers.map((s) => [s.full, s.resumed])).toEqual(sites.map(() => [1, 2]));
  });

  it('a server that restarted (new ticket keys) gets a full handshake and is up', async () => {
    const before = await countingServer();
    const sites = [site(`https://localhost:${before.port}/`)];
    await sweep(sites, true);
    await before.close();
    const after = await countingServer(before.port);

    const [result] = await sweep(sites, true);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect([after.full, after.resumed]).toEqual([1, 0]);

    await sweep(sites, true);
    expect([after.full, after.resumed]).toEqual([1, 1]);
  });

  it('check (a single sweep) keeps no session: a later sweep makes a full handshake', async () => {
    const server = await countingServer();
    const sites = [site(`https://127.0.0.1:${server.port}/`)];
    await sweep(sites, false);
    await sweep(sites, false);
    expect([server.full, server.resumed]).toEqual([2, 0]);
  });

  it('different trust settings never share a context or a session', async () => {
    const server = await countingServer();
    const url = `https://localhost:${server.port}/`;
    const caFile = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));
    await sweep([site(url)], true);
    // The same origin under the site's own tls settings: a handshake of its own, then resumed under them.
    await sweep([site(url, { tls: { ca: caFile } })], true);
    await sweep([site(url, { tls: { insecure: true } })], true);
    expect([server.full, server.resumed]).toEqual([3, 0]);
    await sweep([site(url, { tls: { ca: caFile } })], true);
    expect([server.full, server.resumed]).toEqual([3, 1]);

    const defaults = trustFor(undefined, CA);
    expect(trustFor(undefined, CA)).toBe(defaults);
    const own = [trustFor({ ca: caFile }, CA), trustFor({ insecure: true }, CA), trustFor(undefined)];
    expect(new Set([defaults, ...own].map((t) => t.secureContext)).size).toBe(4);
    expect(new Set([defaults, ...own].map((t) => t.id)).size).toBe(4);
  });

  it("a session is offered only within the server's ticket lifetime", async () => {
    const server = await countingServer(0, { sessionTimeout: 100 });
    let now = Date.now();
    const cache = new TlsSessionCache(10, () => now);
    const connect = () =>
      new Promise<void>((resolve, reject) => {
        const offered = cache.offer('k');
        const socket = tls.connect({
          host: '127.0.0.1',
          port: server.port,
          servername: 'localhost',
          ca: CA,
          ...(offered ? { session: offered.session } : {}),
        });
        cache.follow(socket, 'k', offered, () => undefined);
        socket.once('error', reject);
        // Tickets come right after the handshake, before any response: once the response is read, the
        // tickets the server gave have been kept (a resumed handshake may be given none).
        socket.once('secureConnect', () => socket.write('HEAD / HTTP/1.1\r\nhost: localhost\r\n\r\n'));
        socket.once('data', () => {
          socket.end();
          resolve();
        });
      });

    await connect();
    const kept = cache.offer('k');
    expect(kept).toBeDefined();
    expect(sessionLifetimeS(kept?.session as Buffer)).toBe(100);
    now += 80_000;
    await connect();
    expect([server.full, server.resumed]).toEqual([1, 1]);
    // Past nine tenths of its 100 s: not offered, and the next handshake is a full one.
    now += 95_000;
    expect(cache.offer('k')).toBeUndefined();
    await connect();
    expect([server.full, server.resumed]).toEqual([2, 1]);
  });
});
