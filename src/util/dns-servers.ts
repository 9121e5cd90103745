/**
 * `--dns-server`: the DNS servers a sweep asks instead of the system's (/etc/resolv.conf), each an IP
 * address with an optional port: 192.0.2.53, 192.0.2.53:5353, 2001:db8::53, [2001:db8::53]:5353.
 */

import { isIP } from 'node:net';
import { InvalidArgumentError, Option } from 'commander';

/** The server as `dns.Resolver#setServers` takes it, or null when it is not one. */
export function parseDnsServer(value: string): string | null {
  const text = value.trim();
  if (isIP(text) !== 0) return text;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text);
  const [, host, port] = v4 ?? v6 ?? [];
  if (host === undefined || port === undefined) return null;
  const p = Number(port);
  if (isIP(host) === 0 || p < 1 || p > 65_535) return null;
  return text;
}

function servers(value: string, previous: string[] | undefined): string[] {
  const parsed = value.split(',').map((v) => [v, parseDnsServer(v)] as const);
  const bad = parsed.find(([, server]) => server === null);
  if (bad) {
    throw new InvalidArgumentError(
      `--dns-server takes an IP address with an optional port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53), not "${bad[0].trim()}".`,
    );
  }
  return [...(previous ?? []), ...parsed.map(([, server]) => server as string)];
}

export function dnsServerOption(): Option {
  return new Option(
    '--dns-server <address>',
    "DNS server to ask instead of the system's (/etc/resolv.conf): an IP address with an optional port; repeat it or separate with commas for more (the hosts file is still read first)",
  ).argParser(servers);
}
