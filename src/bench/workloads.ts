import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDnsServer } from './dns-server.js';
import { startFixture } from './fixture.js';
import type { BenchCa } from './tls-ca.js';

/**
 * The workloads of `npm run bench`, as data: which fixture (kind, N, latency), what the child gets in
 * its environment and on its command line, which figures its row of the table shows, and in which set
 * it runs. A new workload is one entry here; a new kind of fixture (a local DNS server and host names,
 * say) is one entry in FIXTURE_KINDS returning its URLs, the environment the contenders need and a close.
 */

export interface FixtureSpec {
  kind: string;
  sites: number;
  latencyMs: number;
}

/** Figures a workload's row of the summary shows, first one with its ratio to the bare loop. */
export type Metric = 'cpuPerCheck' | 'checksPerSecond' | 'peakRss' | 'wall' | 'medianResponse';

export type BenchSet = 'quick' | 'default' | 'full';

export interface Workload {
  id: string;
  /** The row heading in the summary table. */
  title: string;
  fixture: FixtureSpec;
  show: Metric[];
  sets: BenchSet[];
  /** Environment for every contender's process (over the bench's own, and the fixture's). */
  env?: Record<string, string>;
  /** Extra command-line arguments per contender name. */
  args?: Record<string, string[]>;
  /** A command every contender's process runs through (see RunContext.prefix). */
  prefix?: string[];
  /** Only these contenders (default: all). */
  contenders?: string[];
}

export interface StartedFixture {
  urls: string[];
  /** Environment the contenders need to reach these URLs (a resolver, say). */
  env: Record<string, string>;
  /** A command the contenders run through to reach them (see RunContext.prefix), if any. */
  prefix?: string[];
  /** The CA to trust, for https fixtures. */
  caFile: string | null;
  close(): Promise<void>;
}

export interface FixtureContext {
  ca: BenchCa;
  /** A scratch folder for the run, removed at the end. */
  dir: string;
}

export type FixtureKind = (spec: FixtureSpec, ctx: FixtureContext) => Promise<StartedFixture>;

export const FIXTURE_KINDS: Record<string, FixtureKind> = {
  /** N distinct origins (ports on 127.0.0.x) answering `200` after the latency, in their own processes. */
  http: async (spec) => {
    const f = await startFixture({ sites: spec.sites, latencyMs: spec.latencyMs, errorRate: 0 });
    return { urls: f.urls, env: {}, caFile: null, close: f.close };
  },
  /** The same over TLS 1.3, an ECDSA certificate from the bench's own CA. */
  https: async (spec, { ca }) => {
    const f = await startFixture({
      sites: spec.sites,
      latencyMs: spec.latencyMs,
      errorRate: 0,
      tls: { keyFile: ca.keyFile, certFile: ca.certFile },
    });
    return { urls: f.urls, env: {}, caFile: ca.caFile, close: f.close };
  },
  /**
   * The http origins by host name (`s0.names.bench`, ...), each resolved by a DNS server on
   * 127.0.0.1:53 answering in NAMES_DNS_DELAY_MS. Every contender finds it the way a user points a
   * program at a resolver: /etc/resolv.conf, here one of its own bind-mounted in a mount namespace
   * (`unshare -m`), so the machine's stays as it is. Needs root (port 53, the mount).
   */
  names: async (spec, { dir }) => {
    const f = await startFixture({ sites: spec.sites, latencyMs: spec.latencyMs, errorRate: 0 });
    const records: Record<string, string> = {};
    const urls = f.urls.map((url, i) => {
      const u = new URL(url);
      records[`s${i}.names.bench`] = u.hostname;
      return `http://s${i}.names.bench:${u.port}/`;
    });
    let dns: Awaited<ReturnType<typeof startDnsServer>>;
    try {
      dns = await startDnsServer(records, { delayMs: NAMES_DNS_DELAY_MS, ttlS: 300, port: 53 });
    } catch (error) {
      await f.close();
      throw error;
    }
    const resolvConf = join(dir, 'resolv.conf');
    await writeFile(resolvConf, 'nameserver 127.0.0.1\noptions timeout:5 attempts:1\n');
    const mount = `mount --bind ${resolvConf} /etc/resolv.conf && exec "$@"`;
    return {
      urls,
      env: {},
      prefix: ['unshare', '--mount', '--', 'sh', '-c', mount, 'sh'],
      caFile: null,
      close: async () => {
        await dns.close();
        await f.close();
      },
    };
  },
};

/** How long the names fixture's DNS server takes to answer (the workload: 20 ms). */
export const NAMES_DNS_DELAY_MS = 20;

/** blackbox_exporter runs as a daemon of its own, outside the namespace the names fixture gives the others. */
const NAMES_CONTENDERS = ['bare', 'python', 'undici', 'check'];

const ALL: BenchSet[] = ['quick', 'default', 'full'];

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'http-0ms-2000',
    title: '0 ms, N=2,000: CPU per check',
    fixture: { kind: 'http', sites: 2000, latencyMs: 0 },
    show: ['cpuPerCheck'],
    sets: ALL,
  },
  {
    id: 'http-0ms-8000',
    title: '0 ms, N=8,000: CPU per check / checks per second / peak RSS',
    fixture: { kind: 'http', sites: 8000, latencyMs: 0 },
    show: ['cpuPerCheck', 'checksPerSecond', 'peakRss'],
    sets: ['full'],
  },
  {
    id: 'http-200ms-2000',
    title: '200 ms, N=2,000 (floor 4.00 s): wall / median response',
    fixture: { kind: 'http', sites: 2000, latencyMs: 200 },
    show: ['wall', 'medianResponse'],
    sets: ALL,
  },
  {
    id: 'http-200ms-10000',
    title: '200 ms, N=10,000 (floor 20.00 s): peak RSS / wall',
    fixture: { kind: 'http', sites: 10_000, latencyMs: 200 },
    show: ['peakRss', 'wall'],
    sets: ['full'],
  },
  {
    id: 'names-200ms-2000',
    title: '2,000 distinct host names, local DNS answering in 20 ms, 200 ms sites: wall',
    fixture: { kind: 'names', sites: 2000, latencyMs: 200 },
    show: ['wall'],
    sets: ['full'],
    contenders: NAMES_CONTENDERS,
  },
  {
    id: 'names-200ms-10000',
    title: '10,000 distinct host names, local DNS answering in 20 ms, 200 ms sites: wall',
    fixture: { kind: 'names', sites: 10_000, latencyMs: 200 },
    show: ['wall'],
    sets: ['full'],
    contenders: NAMES_CONTENDERS,
  },
  {
    id: 'https-0ms-2000',
    title: 'HTTPS (ECDSA, local CA), 0 ms, N=2,000: CPU per check',
    fixture: { kind: 'https', sites: 2000, latencyMs: 0 },
    show: ['cpuPerCheck'],
    sets: ALL,
  },
];

/** The workloads of a set; `quick` runs them on at most `QUICK_SITES` sites. */
export function workloadsOf(set: BenchSet): Workload[] {
  return WORKLOADS.filter((w) => w.sets.includes(set)).map((w) =>
    set === 'quick' ? { ...w, fixture: { ...w.fixture, sites: Math.min(w.fixture.sites, QUICK_SITES) } } : w,
  );
}

export const QUICK_SITES = 500;
