import { Resolver } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';

let dns: TestDnsServer | undefined;
afterEach(async () => {
  await dns?.close();
  dns = undefined;
});

function resolverFor(server: string, timeout = 1000): Resolver {
  const resolver = new Resolver({ timeout, tries: 1 });
  resolver.setServers([server]);
  return resolver;
}

describe('startDnsServer', () => {
  it('answers A queries for known names, case-insensitively', async () => {
    dns = await startDnsServer({ 'Up.Example.test': '127.0.0.1', 'other.test.': '10.1.2.3' });
    expect(dns.server).toBe(`127.0.0.1:${dns.port}`);
    const resolver = resolverFor(dns.server);

    expect(await resolver.resolve4('up.example.test')).toEqual(['127.0.0.1']);
    expect(await resolver.resolve4('OTHER.test')).toEqual(['10.1.2.3']);
    expect(dns.queries).toEqual(['up.example.test', 'other.test']);
  });

  it('answers NXDOMAIN for unknown names (ENOTFOUND)', async () => {
    dns = await startDnsServer({ 'up.test': '127.0.0.1' });
    await expect(resolverFor(dns.server).resolve4('down.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    expect(dns.queries).toEqual(['down.test']);
  });

  it('answers an empty NOERROR for AAAA of a known name (ENODATA)', async () => {
    dns = await startDnsServer({ 'up.test': '127.0.0.1' });
    await expect(resolverFor(dns.server).resolve6('up.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('delays answers by delayMs, and close() drops pending answers', async () => {
    dns = await startDnsServer({ 'slow.test': '127.0.0.1' }, { delayMs: 2000 });
    await expect(resolverFor(dns.server, 200).resolve4('slow.test')).rejects.toMatchObject({
      code: 'ETIMEOUT',
    });
    expect(dns.queries).toEqual(['slow.test']);
    const started = Date.now();
    await dns.close();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('answers AAAA queries for IPv6 records, and each type with its own for a dual-stack name', async () => {
    dns = await startDnsServer({ 'v6.test': '2001:db8::7', 'dual.test': ['::1', '127.0.0.1', '10.0.0.2'] });
    const resolver = resolverFor(dns.server);

    expect(await resolver.resolve6('v6.test')).toEqual(['2001:db8::7']);
    await expect(resolver.resolve4('v6.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(await resolver.resolve6('dual.test')).toEqual(['::1']);
    expect(await resolver.resolve4('dual.test')).toEqual(['127.0.0.1', '10.0.0.2']);
  });

  it('rejects records that are not IP addresses', async () => {
    await expect(startDnsServer({ 'bad.test': 'localhost' })).rejects.toThrow(/not an IP address/);
  });
});
