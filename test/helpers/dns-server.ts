import { startDnsServer, type TestDnsServer } from '../../src/bench/dns-server.js';
import { createDnsLookup, type DnsLookup } from '../../src/probe/dns.js';

export { type DnsServerOptions, startDnsServer, type TestDnsServer } from '../../src/bench/dns-server.js';

/**
 * The probe's own lookup (src/probe/dns.ts: concurrent, cached per TTL) asking only `server`, without
 * the hosts file (`hostsFile`: a file to read first instead), for HttpClient's `lookup`.
 */
export function lookupVia(server: TestDnsServer, hostsFile: string | null = null): DnsLookup {
  return createDnsLookup({ servers: [server.server], hostsFile });
}

/** A test DNS server and the probe's lookup asking it. */
export async function dnsFixture(
  ...args: Parameters<typeof startDnsServer>
): Promise<{ dns: TestDnsServer; lookup: DnsLookup }> {
  const dns = await startDnsServer(...args);
  return { dns, lookup: lookupVia(dns) };
}
