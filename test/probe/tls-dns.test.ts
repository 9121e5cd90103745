import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient, type HttpClientOptions, type LookupFn } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { lookupVia, startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { status } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { caCert, type TlsFixtureName } from '../helpers/tls.js';

const { defer } = useCleanup();

async function serve(tls?: TlsFixtureName): Promise<TestHttpServer> {
  const server = await startHttpServer(status(200), tls ? { tls } : {});
  defer(server.close);
  return server;
}

function context(options: HttpClientOptions = {}): ProbeContext {
  const client = new HttpClient(options);
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

describe('probe: TLS', () => {
  it('a valid certificate from a trusted CA is up, with a TLS handshake time', async () => {
    const server = await serve('server');
    const result = await probe(site(`${server.url}/secure`), context({ ca: caCert() }));

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /secure']);
    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok', attempts: 1 });
    expect(result.timings.tlsMs).not.toBeNull();
    expect(result.timings.tlsMs).toBeGreaterThan(0);
    expect(result.timings.dnsMs).toBe(0);
  });

  it('the same server is down (tls) when its CA is not trusted', async () => {
    const server = await serve('server');
    const result = await probe(site(server.url), context());

    expect(server.requests).toHaveLength(0);
    expect(result).toMatchObject({ ok: false, kind: 'tls', status: null });
    expect(result.error).toMatch(/issuer|not trusted|self-signed/);
  });

  it('a self-signed certificate is down with kind tls, not retried', async () => {
    const server = await serve('self-signed');
    const result = await probe(site(server.url), context({ ca: caCert() }));

    expect(server.requests).toHaveLength(0);
    expect(result).toMatchObject({ ok: false, kind: 'tls', status: null, attempts: 1 });
    expect(result.error).toContain('self-signed');
    // The TCP connection was made before the handshake failed: its time is kept.
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tlsMs).toBeNull();
    expect(result.remoteAddress).toBe(`127.0.0.1:${server.port}`);
  });

  it('an expired certificate is down with kind tls', async () => {
    const server = await serve('expired');
    const result = await probe(site(server.url), context({ ca: caCert() }));

    expect(result).toMatchObject({ ok: false, kind: 'tls', status: null, attempts: 1 });
    expect(result.error).toContain('expired');
  });

  it('a certificate for another host is down with kind tls, naming the host', async () => {
    const server = await serve('wrong-host');
    const result = await probe(site(server.url), context({ ca: caCert() }));

    expect(result).toMatchObject({ ok: false, kind: 'tls', status: null, attempts: 1 });
    expect(result.error).toContain('not valid for 127.0.0.1');
  });

  it('https to a plain-http port is down with kind tls', async () => {
    const server = await serve();
    const result = await probe(site(`https://127.0.0.1:${server.port}/`), context({ ca: caCert() }));

    expect(result).toMatchObject({ ok: false, kind: 'tls', status: null });
  });
});

describe('probe: DNS', () => {
  let dns: TestDnsServer;

  /** A dns.lookup look-alike asking only the local test DNS server. */
  async function localLookup(records: Record<string, string>, delayMs = 0): Promise<LookupFn> {
    dns = await startDnsServer(records, { delayMs });
    defer(dns.close);
    return lookupVia(dns);
  }

  it('a name the DNS server knows resolves and the site is up, with the Host header kept', async () => {
    const server = await serve();
    const lookup = await localLookup({ 'up.squirrel.test': '127.0.0.1' });
    const result = await probe(site(`http://up.squirrel.test:${server.port}/`), context({ lookup }));

    expect(dns.queries).toContain('up.squirrel.test');
    expect(server.requests[0]?.headers.host).toBe(`up.squirrel.test:${server.port}`);
    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok' });
    expect(result.timings.dnsMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('a name the DNS server does not know is down with kind dns, naming the host without the port', async () => {
    const lookup = await localLookup({ 'up.squirrel.test': '127.0.0.1' });
    const result = await probe(site('http://gone.squirrel.test:8080/', { retries: 0 }), context({ lookup }));

    expect(new Set(dns.queries)).toEqual(new Set(['gone.squirrel.test']));
    expect(result).toMatchObject({ ok: false, kind: 'dns', status: null, attempts: 1, remoteAddress: null });
    expect(result.error).toBe('host name gone.squirrel.test not found (DNS)');
    // The lookup happened and failed: its time is kept; no connection was tried.
    expect(result.timings.dnsMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.connectMs).toBeNull();
  });

  it('an https name is verified against the name, not the address', async () => {
    const server = await serve('server');
    const lookup = await localLookup({ localhost: '127.0.0.1', 'other.squirrel.test': '127.0.0.1' });
    const good = await probe(site(`https://localhost:${server.port}/`), context({ lookup, ca: caCert() }));
    expect(good).toMatchObject({ ok: true, status: 200 });
    expect(good.timings.tlsMs).not.toBeNull();

    const bad = await probe(
      site(`https://other.squirrel.test:${server.port}/`),
      context({ lookup, ca: caCert() }),
    );
    expect(bad).toMatchObject({ ok: false, kind: 'tls' });
    expect(bad.error).toContain('other.squirrel.test');
  });

  it('a DNS answer slower than the timeout is down with kind dns, within the timeout', async () => {
    const lookup = await localLookup({ 'slow.squirrel.test': '127.0.0.1' }, 1500);
    const started = performance.now();
    const result = await probe(
      site('http://slow.squirrel.test:8080/', { timeoutMs: 300, retries: 0 }),
      context({ lookup }),
    );

    expect(performance.now() - started).toBeLessThan(800);
    expect(result).toMatchObject({ ok: false, kind: 'dns', status: null, attempts: 1 });
    expect(result.error).toContain('did not answer within 300 ms');
  });

  it('a check that timed out waiting for DNS does not take down the next check of the same host', async () => {
    const server = await serve();
    const lookup = await localLookup({ 'slow.squirrel.test': '127.0.0.1' }, 300);
    const ctx = context({ lookup });
    const url = `http://slow.squirrel.test:${server.port}`;
    const first = await probe(site(`${url}/a`, { timeoutMs: 150, retries: 0 }), ctx);
    const second = await probe(site(`${url}/b`, { timeoutMs: 2000, retries: 0 }), ctx);

    expect(first).toMatchObject({ ok: false, kind: 'dns' });
    expect(second).toMatchObject({ ok: true, status: 200, attempts: 1 });
    expect(server.requests.map((r) => r.url)).toEqual(['/b']);
  });
});
