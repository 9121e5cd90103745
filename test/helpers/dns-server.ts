import type { TestDnsServer } from '../../src/bench/dns-server.js';
import { createDnsLookup } from '../../src/probe/dns.js';
import type { LookupFn } from '../../src/probe/http.js';

export { type DnsServerOptions, startDnsServer, type TestDnsServer } from '../../src/bench/dns-server.js';

/**
 * The probe's own lookup (src/probe/dns.ts: concurrent, cached per TTL) asking only `server`, without
 * the hosts file (`hostsFile`: a file to read first instead), for HttpClient's `lookup`.
 */
export function lookupVia(server: TestDnsServer, hostsFile: string | null = null): LookupFn {
  return createDnsLookup({ servers: [server.server], hostsFile });
}
