import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { lookupVia, startDnsServer } from '../helpers/dns-server.js';
import { freePort } from '../helpers/ports.js';
import { closer, trackSockets } from '../helpers/sockets.js';

const { defer } = useCleanup();

interface Listener {
  port: number;
  /** Requests answered, by the address family the client came over. */
  served: string[];
}

/** An HTTP server answering 200 on one loopback address (`::1` or `127.0.0.1`) only. */
async function listenOn(host: '::1' | '127.0.0.1', port = 0): Promise<Listener> {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    served.push(req.socket.remoteFamily ?? '?');
    res.writeHead(200);
    res.end();
  });
  const tracker = trackSockets(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: true }, () => resolve());
  });
  defer(closer(server, tracker));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, served };
}

/** A client whose lookups go to a local DNS server answering `dual.test` with ::1 and 127.0.0.1. */
async function dualStackClient(records: Record<string, string[]> = { 'dual.test': ['::1', '127.0.0.1'] }) {
  const dns = await startDnsServer(records);
  defer(dns.close);
  const client = new HttpClient({ lookup: lookupVia(dns) });
  defer(() => client.close());
  return (s: Site) => probe(s, { client, userAgent: USER_AGENT, retryDelayMs: 50 });
}

describe('probe: dual-stack names (Happy Eyeballs)', () => {
  it('IPv6 is tried first and used when it answers', async () => {
    const v6 = await listenOn('::1');
    const check = await dualStackClient();
    const result = await check(site(`http://dual.test:${v6.port}/`));

    expect(result).toMatchObject({ ok: true, status: 200, remoteAddress: `[::1]:${v6.port}`, note: null });
    expect(v6.served).toEqual(['IPv6']);
  });

  it('a site whose IPv6 is broken but IPv4 works is up over IPv4, with a note saying so', async () => {
    // Nothing listens on [::1] at this port: the IPv6 attempt is refused, the IPv4 one answers.
    const v4 = await listenOn('127.0.0.1');
    const check = await dualStackClient();
    const result = await check(site(`http://dual.test:${v4.port}/`));

    expect(result).toMatchObject({
      ok: true,
      status: 200,
      attempts: 1,
      remoteAddress: `127.0.0.1:${v4.port}`,
    });
    expect(result.note).toBe(`connected over IPv4 to 127.0.0.1:${v4.port} after [::1]:${v4.port} refused`);
    expect(v4.served).toEqual(['IPv4']);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('ipFamily forces one family: 4 never tries IPv6, 6 never tries IPv4', async () => {
    const v4 = await listenOn('127.0.0.1');
    const check = await dualStackClient();

    const four = await check(site(`http://dual.test:${v4.port}/`, { ipFamily: 4 }));
    expect(four).toMatchObject({ ok: true, remoteAddress: `127.0.0.1:${v4.port}`, note: null });

    const six = await check(site(`http://dual.test:${v4.port}/`, { ipFamily: 6, retries: 0 }));
    expect(six).toMatchObject({ ok: false, kind: 'refused', remoteAddress: `[::1]:${v4.port}` });
    expect(six.error).toBe(
      `connection refused by dual.test ([::1]:${v4.port}) (nothing listening on that port?)`,
    );
    expect(v4.served).toEqual(['IPv4']);
  });

  it('a refusal by every address names each address tried', async () => {
    const port = await freePort();
    const check = await dualStackClient();
    const result = await check(site(`http://dual.test:${port}/`, { retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'refused', status: null, attempts: 1 });
    expect(result.error).toBe(
      `connection refused by every address of dual.test: [::1]:${port} refused, 127.0.0.1:${port} refused`,
    );
    expect(result.timings.dnsMs).toBeGreaterThanOrEqual(0);
  });

  it('a name with only an A record asked for over IPv6 is down (dns), saying which addresses it has', async () => {
    const check = await dualStackClient({ 'v4only.test': ['127.0.0.1'] });
    const result = await check(site('http://v4only.test:8080/', { ipFamily: 6, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'dns', status: null });
    expect(result.error).toBe('host name v4only.test has no IPv6 address (ipFamily 6; it has 127.0.0.1)');
  });
});
