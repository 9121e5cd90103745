/**
 * Name lookups that run concurrently and are cached for their TTL.
 *
 * Why not `dns.lookup`: it calls getaddrinfo on libuv's thread pool (4 threads), so a sweep of names
 * that resolve slowly is held to a few lookups at a time (about 91 a second at 20 ms a lookup). Here A
 * and AAAA are asked with c-ares (Node's `dns.Resolver`), on the event loop, as many at once as there
 * are checks in flight; the servers are the system's (/etc/resolv.conf) unless given.
 *
 * What the system's resolver does that c-ares's queries do not is kept: the hosts file is read first
 * (dns-hosts.ts), and a name of one label or under .local (search domains, mDNS), which DNS did not
 * find, is asked of the system's resolver.
 *
 * An answer is kept for its TTL (the shortest of its records), across sweeps of a long-running process,
 * and never past it: once expired the name is asked again, and a name that no longer resolves fails.
 * Failures are not kept; lookups of a name already being asked wait for that answer.
 *
 * A sweep asks names ahead of their checks (`DnsLookup.ahead`), so that a check finds its answer ready
 * instead of waiting for it inside its concurrency slot. An answer to a look-ahead goes into the same
 * cache. A failure is held for the one check it was asked ahead for, given to its first lookup and then
 * gone, and held at most HELD_MS: the check fails as it would have, without asking the name a second
 * time. An answer with a TTL of 0 (or from the system's resolver) is not held: its check asks again.
 */

import { type LookupAddress, type RecordWithTtl, lookup as systemLookup } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { TtlCache } from '../util/ttl-cache.js';
import { ConnectFailure } from './classify.js';
import type { LookupFn } from './connect.js';
import { FileChanges, HostsFile, RESOLV_CONF, SYSTEM_HOSTS_FILE } from './dns-hosts.js';

export interface DnsLookupOptions {
  /** DNS servers: "192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53"; default the system's. */
  servers?: readonly string[] | undefined;
  /** The hosts file read before DNS; null for none. */
  hostsFile?: string | null;
  /** Names kept at most (the one answered longest ago goes first). */
  maxEntries?: number;
  /** The clock TTLs count on (tests). */
  now?: () => number;
}

/** Enough for the longest lists (10,000 sites) several times over; an entry is a few hundred bytes. */
const MAX_ENTRIES = 50_000;

/**
 * How long a failed look-ahead waits for its check: a sweep asks about `concurrency`
 * sites ahead, so the check comes once that many checks have ended, well within this unless they all
 * time out; after it, the check asks again.
 */
const HELD_MS = 30_000;

/** The most failures waiting for their checks: a sweep's look-ahead window holds far fewer. */
const MAX_HELD = 10_000;

/** dns.ts's lookup, which can also be asked ahead of need: its answers are kept for the check. */
export interface DnsLookup extends LookupFn {
  /** Start looking `hostname` up (unless its answer is known or coming) for a check about to start. */
  ahead: (hostname: string) => void;
}

type Callback = Parameters<LookupFn>[1];

/** What a name gave: its addresses and how long they hold, or why it has none. */
type Answer = { addresses: LookupAddress[]; ttlS: number } | { error: NodeJS.ErrnoException };

/** c-ares's codes as the verdicts (classify.ts) know them; ECONNREFUSED is the resolver's, not the site's. */
function lookupError(hostname: string, code: string | undefined): NodeJS.ErrnoException {
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ETIMEOUT' || code === 'ESERVFAIL') {
    return Object.assign(new Error(`${code} ${hostname}`), { code, hostname });
  }
  if (code === 'ECONNREFUSED') {
    return Object.assign(new Error(`ECONNREFUSED_DNS ${hostname}`), { code: 'ECONNREFUSED_DNS', hostname });
  }
  return new ConnectFailure({
    kind: 'dns',
    message: `DNS lookup of ${hostname} failed (${code ?? 'no answer'}); the resolver may be down`,
    retryable: true,
  });
}

function codeOf(reason: unknown): string | undefined {
  const code = (reason as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A and AAAA asked at once; one family's answer is enough (the other may have no records). */
async function askDns(resolver: Resolver, hostname: string): Promise<Answer> {
  const [v6, v4] = await Promise.allSettled([
    resolver.resolve6(hostname, { ttl: true }),
    resolver.resolve4(hostname, { ttl: true }),
  ]);
  const records: [RecordWithTtl, 4 | 6][] = [
    ...(v6.status === 'fulfilled' ? v6.value.map((r): [RecordWithTtl, 6] => [r, 6]) : []),
    ...(v4.status === 'fulfilled' ? v4.value.map((r): [RecordWithTtl, 4] => [r, 4]) : []),
  ];
  if (records.length > 0) {
    const ttlS = Math.min(...records.map(([r]) => r.ttl));
    return { addresses: records.map(([r, family]) => ({ address: r.address, family })), ttlS };
  }
  const codes = [v4, v6].map((s) => (s.status === 'rejected' ? codeOf(s.reason) : 'ENODATA'));
  // NXDOMAIN for either family is NXDOMAIN for the name; no records of either type is "no address".
  const code = codes.includes('ENOTFOUND')
    ? 'ENOTFOUND'
    : codes.every((c) => c === 'ENODATA')
      ? 'ENODATA'
      : codes.find((c) => c !== 'ENODATA');
  return { error: lookupError(hostname, code) };
}

/** Names the system's resolver may know and DNS not: one label (search domains) or mDNS. */
function systemOnly(hostname: string): boolean {
  return !hostname.replace(/\.$/, '').includes('.') || /\.local\.?$/i.test(hostname);
}

function askSystem(hostname: string): Promise<Answer> {
  return new Promise((resolve) => {
    systemLookup(hostname, { all: true }, (err, addresses) => {
      // Not kept: the system's resolver does not say for how long (and may cache on its own).
      resolve(err ? { error: err } : { addresses, ttlS: 0 });
    });
  });
}

export function createDnsLookup(options: DnsLookupOptions = {}): DnsLookup {
  const custom = options.servers !== undefined && options.servers.length > 0;
  let resolver = new Resolver();
  if (custom) resolver.setServers([...(options.servers as string[])]);
  // c-ares reads /etc/resolv.conf when a resolver is made: a new one when it changes (DHCP, a VPN), as
  // glibc rereads it; lookups under way finish on the old one.
  const resolvConf = custom ? null : new FileChanges(RESOLV_CONF);
  resolvConf?.changed();
  const hostsPath = options.hostsFile === undefined ? SYSTEM_HOSTS_FILE : options.hostsFile;
  const hosts = hostsPath === null ? null : new HostsFile(hostsPath);
  const now = options.now ?? Date.now;
  const cache = new TtlCache<string, LookupAddress[]>(options.maxEntries ?? MAX_ENTRIES, now);
  /** Failed look-aheads, each for the next lookup of its name (see the top). */
  const held = new TtlCache<string, NodeJS.ErrnoException>(MAX_HELD, now);
  /** Names being asked, with the lookups waiting for them (none for a look-ahead alone). */
  const waiting = new Map<string, Callback[]>();

  const settle = (name: string, answer: Answer) => {
    const callbacks = waiting.get(name) ?? [];
    waiting.delete(name);
    if ('error' in answer) {
      if (callbacks.length === 0) held.set(name, answer.error, now() + HELD_MS);
      for (const cb of callbacks) cb(answer.error, []);
      return;
    }
    if (answer.ttlS > 0) cache.set(name, answer.addresses, now() + answer.ttlS * 1000);
    for (const cb of callbacks) cb(null, answer.addresses);
  };

  const ask = (name: string, hostname: string) => {
    if (resolvConf?.changed()) resolver = new Resolver();
    askDns(resolver, name)
      .then(async (answer) =>
        'error' in answer && !custom && systemOnly(name) ? askSystem(hostname) : answer,
      )
      .then(
        (answer) => settle(name, answer),
        (error: unknown) => settle(name, { error: lookupError(name, codeOf(error)) }),
      );
  };

  const lookup = (hostname: string, callback: Callback) => {
    const fromFile = hosts?.find(hostname);
    if (fromFile !== undefined) return callback(null, fromFile);
    const name = hostname.toLowerCase();
    const known = cache.get(name);
    if (known !== undefined) return callback(null, known);
    const failed = held.get(name);
    if (failed !== undefined) {
      held.delete(name);
      return callback(failed, []);
    }
    const already = waiting.get(name);
    if (already) return void already.push(callback);
    waiting.set(name, [callback]);
    ask(name, hostname);
  };

  const ahead = (hostname: string) => {
    if (hosts?.find(hostname) !== undefined) return;
    const name = hostname.toLowerCase();
    if (waiting.has(name) || cache.get(name) !== undefined || held.get(name) !== undefined) return;
    waiting.set(name, []);
    ask(name, hostname);
  };

  return Object.assign(lookup, { ahead });
}

const shared = new Map<string, DnsLookup>();

/**
 * The process's lookup for these servers (the system's when none): one cache for every sweep of a
 * long-running process (watch), and one per worker in the pooled modes.
 */
export function sharedDnsLookup(servers?: readonly string[]): DnsLookup {
  const key = servers?.join(',') ?? '';
  let lookup = shared.get(key);
  if (!lookup) {
    lookup = createDnsLookup({ servers });
    shared.set(key, lookup);
  }
  return lookup;
}
