import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { createDnsLookup } from '../../src/probe/dns.js';
import { parseHosts } from '../../src/probe/dns-hosts.js';
import type { LookupFn } from '../../src/probe/http.js';
import { asyncStrategy } from '../../src/strategies/async.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { lookupVia, startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { status } from '../helpers/handlers.js';
import { tempDir } from '../helpers/processes.js';

const { defer, serve } = useCleanup();

async function dnsServer(...args: Parameters<typeof startDnsServer>): Promise<TestDnsServer> {
  const dns = await startDnsServer(...args);
  defer(dns.close);
  return dns;
}

/** One sweep, as check and watch run it (the async mode), with `lookup` as the process's lookup. */
function sweep(sites: Site[], lookup: LookupFn, concurrency = 64): Promise<Result[]> {
  return asyncStrategy.run(sites, { concurrency, userAgent: USER_AGENT, secrets: [], lookup });
}

describe('DNS: concurrent lookups, cached per TTL', () => {
  it('many names are asked at once, not a few at a time as on the thread pool', async () => {
    const server = await serve(status(200));
    const names = Array.from({ length: 40 }, (_, i) => `site-${i}.squirrel.test`);
    const dns = await dnsServer(Object.fromEntries(names.map((n) => [n, '127.0.0.1'])), { delayMs: 300 });
    const lookup = createDnsLookup({ servers: [dns.server], hostsFile: null });

    const results = await sweep(
      names.map((n) => site(`http://${n}:${server.port}/`)),
      lookup,
    );

    expect(results.map((r) => r.kind)).toEqual(names.map(() => 'ok'));
    expect(new Set(dns.queries)).toEqual(new Set(names));
    // A and AAAA of every name were waiting at the server together; dns.lookup on libuv's 4 threads
    // lets at most 4 names (8 queries) be outstanding.
    expect(dns.peakOutstanding).toBeGreaterThanOrEqual(names.length);
  });

  it('an answer is kept for its TTL: the second sweep within it asks nothing, the one after asks again', async () => {
    const server = await serve(status(200));
    const dns = await dnsServer({ 'ttl.squirrel.test': '127.0.0.1' }, { ttlS: 30 });
    let now = Date.now();
    const lookup = createDnsLookup({ servers: [dns.server], hostsFile: null, now: () => now });
    // Two sites on the same name: one query serves both within a sweep.
    const sites = [
      site(`http://ttl.squirrel.test:${server.port}/a`),
      site(`http://ttl.squirrel.test:${server.port}/b`),
    ];

    expect((await sweep(sites, lookup)).map((r) => r.ok)).toEqual([true, true]);
    const asked = dns.queries.length;
    expect(asked).toBe(2); // A and AAAA, once

    now += 29_000;
    expect((await sweep(sites, lookup)).map((r) => r.ok)).toEqual([true, true]);
    expect(dns.queries).toHaveLength(asked);

    now += 2_000;
    expect((await sweep(sites, lookup)).map((r) => r.ok)).toEqual([true, true]);
    expect(dns.queries).toHaveLength(asked * 2);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b', '/a', '/b', '/a', '/b']);
  });

  it('a name that stops resolving is a dns failure once its TTL is over, never a stale success', async () => {
    const server = await serve(status(200));
    const dns = await dnsServer({ 'going.squirrel.test': '127.0.0.1' }, { ttlS: 10 });
    let now = Date.now();
    const lookup = createDnsLookup({ servers: [dns.server], hostsFile: null, now: () => now });
    const sites = [site(`http://going.squirrel.test:${server.port}/`, { retries: 0 })];

    expect((await sweep(sites, lookup))[0]).toMatchObject({ ok: true });
    dns.set('going.squirrel.test', null);
    now += 11_000;
    const [gone] = await sweep(sites, lookup);

    expect(gone).toMatchObject({ ok: false, kind: 'dns', status: null });
    expect(gone?.error).toBe('host name going.squirrel.test not found (DNS)');
    expect(server.requests).toHaveLength(1);
  });

  it('NXDOMAIN is a dns failure that names the host; a name without addresses says so', async () => {
    const dns = await dnsServer({ 'v6only.squirrel.test': '::1' });
    const lookup = createDnsLookup({ servers: [dns.server], hostsFile: null });
    const [nx, v4] = await sweep(
      [
        site('http://nowhere.squirrel.test:8080/', { retries: 0 }),
        site('http://v6only.squirrel.test:1/', { retries: 0, ipFamily: 4 }),
      ],
      lookup,
    );

    expect(nx).toMatchObject({ ok: false, kind: 'dns', attempts: 1 });
    expect(nx?.error).toBe('host name nowhere.squirrel.test not found (DNS)');
    expect(v4).toMatchObject({ ok: false, kind: 'dns' });
    expect(v4?.error).toBe('host name v6only.squirrel.test has no IPv4 address (ipFamily 4; it has ::1)');
  });

  it('a resolver that refuses is a dns failure, not the site refusing', async () => {
    const dns = await startDnsServer({});
    const where = dns.server;
    await dns.close();
    const lookup = createDnsLookup({ servers: [where], hostsFile: null });
    const [result] = await sweep([site('http://down.squirrel.test:8080/', { retries: 0 })], lookup);

    expect(result).toMatchObject({ ok: false, kind: 'dns' });
    expect(result?.error).toContain('down.squirrel.test');
  });

  it('the hosts file is read before DNS: its names resolve without a query', async () => {
    const server = await serve(status(200));
    const dns = await dnsServer({ 'dns.squirrel.test': '127.0.0.1' });
    const dir = await tempDir();
    defer(dir.cleanup);
    const hostsFile = join(dir.path, 'hosts');
    await writeFile(hostsFile, '# a comment\n127.0.0.1\tfiled.squirrel.test  Other.Squirrel.Test # ours\n');
    const lookup = createDnsLookup({ servers: [dns.server], hostsFile });

    const results = await sweep(
      ['filed', 'other', 'dns'].map((n) => site(`http://${n}.squirrel.test:${server.port}/`)),
      lookup,
    );

    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(new Set(dns.queries)).toEqual(new Set(['dns.squirrel.test']));
  });

  it("the system's hosts file by default: localhost resolves though the DNS server does not know it", async () => {
    const server = await serve(status(200));
    const dns = await dnsServer({});
    const lookup = createDnsLookup({ servers: [dns.server] });
    const [result] = await sweep([site(`http://localhost:${server.port}/`)], lookup);

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(dns.queries).not.toContain('localhost');
  });

  it('parseHosts: addresses in order, names case-insensitive, comments and junk skipped', () => {
    const table = parseHosts('127.0.0.1 a.test A2.test\n::1 a.test\nnot-an-ip b.test\n# 10.0.0.1 c.test\n');
    expect(table.get('a.test')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(table.get('a2.test')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(table.has('b.test')).toBe(false);
    expect(table.has('c.test')).toBe(false);
  });
});

const asked = (dns: TestDnsServer, name: string) => dns.queries.filter((q) => q === name).length;

/** In these sweeps one lane (concurrency 1): each check starts only when the one before it has ended. */
describe('DNS: names looked up ahead of their checks', () => {
  it("the next site's name is asked while the check before it is still waiting for its answer, each name once", async () => {
    const names = Array.from({ length: 6 }, (_, i) => `ahead-${i}.squirrel.test`);
    const dns = await dnsServer(Object.fromEntries(names.map((n) => [n, '127.0.0.1'])));
    /** For each request as it arrived: its name, and whether the next site's name had been asked by then. */
    const seen: { name: string; nextAsked: boolean }[] = [];
    const server = await serve((req, res) => {
      const name = (req.headers.host ?? '').replace(/:\d+$/, '');
      const next = names[names.indexOf(name) + 1];
      seen.push({ name, nextAsked: next === undefined || dns.queries.includes(next) });
      // A site answering in 30 ms: one lane is busy with it while the look-ahead's answer comes.
      setTimeout(() => res.end('ok'), 30);
    });

    const results = await sweep(
      names.map((n) => site(`http://${n}:${server.port}/`)),
      lookupVia(dns),
      1,
    );

    expect(results.map((r) => r.kind)).toEqual(names.map(() => 'ok'));
    expect(seen.map((s) => s.name)).toEqual(names);
    // Without the look-ahead, a one-lane sweep asks a name only once the check before it has ended.
    expect(seen.map((s) => s.nextAsked)).toEqual(names.map(() => true));
    // A and AAAA, once per name: the check takes the look-ahead's answer instead of asking again.
    expect(names.map((n) => asked(dns, n))).toEqual(names.map(() => 2));
  });

  it('a name that does not resolve, looked up ahead, is the same dns failure, and asked once', async () => {
    const dns = await dnsServer({ 'first.squirrel.test': '127.0.0.1', 'last.squirrel.test': '127.0.0.1' });
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('ok'), 30);
    });
    const urls = ['first', 'nowhere', 'last'].map((n) => `http://${n}.squirrel.test:${server.port}/`);

    const [first, nowhere, last] = await sweep(
      urls.map((u) => site(u, { retries: 0 })),
      lookupVia(dns),
      1,
    );

    expect(first).toMatchObject({ ok: true });
    expect(nowhere).toMatchObject({ ok: false, kind: 'dns', status: null, attempts: 1 });
    expect(nowhere?.error).toBe('host name nowhere.squirrel.test not found (DNS)');
    expect(last).toMatchObject({ ok: true });
    expect(asked(dns, 'nowhere.squirrel.test')).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('a failure is kept only for the check it was looked up for: the next check of the name asks again', async () => {
    const dns = await dnsServer({ 'first.squirrel.test': '127.0.0.1' });
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('ok'), 30);
    });
    const urls = ['first', 'nowhere', 'nowhere'].map((n) => `http://${n}.squirrel.test:${server.port}/`);

    const results = await sweep(
      urls.map((u) => site(u, { retries: 0 })),
      lookupVia(dns),
      1,
    );

    expect(results.map((r) => r.kind)).toEqual(['ok', 'dns', 'dns']);
    expect(asked(dns, 'nowhere.squirrel.test')).toBe(4);
  });

  it('sites by IP address and sites through a proxy are not looked up ahead', async () => {
    const dns = await dnsServer({ 'direct.squirrel.test': '127.0.0.1' });
    const server = await serve((_req, res) => res.end('ok'));
    const proxied = site(`http://proxied.squirrel.test:${server.port}/`, {
      retries: 0,
      // The proxy is the site itself: it is not reachable by that name, and its name is not the site's.
      proxy: `http://127.0.0.1:${server.port}`,
    });

    await sweep(
      [
        site(`http://127.0.0.1:${server.port}/`),
        proxied,
        site(`http://direct.squirrel.test:${server.port}/`),
      ],
      lookupVia(dns),
      1,
    );

    expect(new Set(dns.queries)).toEqual(new Set(['direct.squirrel.test']));
  });
});
