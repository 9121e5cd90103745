import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AbortedError } from '../core/errors.js';
import { measureProcess } from './measure.js';
import { nginxMissing, startNginx } from './nginx.js';
import { median } from './stats.js';
import { FIXTURE_KINDS, type FixtureContext } from './workloads.js';

/**
 * "Fast sites read fast": a site answering in about a millisecond (nginx on loopback, else the node
 * fixture in its own process), checked alone in a fresh `check` and 100 of them in one sweep; the times
 * `check --json` reports beside curl's `-w` for the same URLs, and whether the phases add up.
 */

const BIN = fileURLToPath(new URL('../../bin/uptime-squirrel.js', import.meta.url));
const run = promisify(execFile);

export interface Phases {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  totalMs: number;
}

export interface FastCase {
  label: string;
  /** Median over the sites (and runs) of what `check` reported. */
  check: Phases;
  /** Median over the same URLs of what curl measured. */
  curl: Phases;
  /** Results whose phases add up to more than their total (should be 0). */
  phasesOver: number;
  results: number;
  /** The slowest total `check` reported. */
  maxTotalMs: number;
}

export interface FastSitesReport {
  server: string;
  cases: FastCase[];
}

interface CheckTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  totalMs: number | null;
}

const phase = (x: number | null) => x ?? 0;

/** curl's cumulative `-w` times turned into phases, in ms. */
async function curlPhases(url: string): Promise<Phases> {
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      '-o',
      '/dev/null',
      '-I',
      '--max-time',
      '5',
      '-w',
      '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}',
      url,
    ],
    { timeout: 10_000 },
  );
  const [dns, connect, app, start, total] = stdout
    .trim()
    .split(' ')
    .map((s) => Number(s) * 1000) as number[];
  const connected = Math.max(connect as number, app as number);
  return {
    dnsMs: dns as number,
    connectMs: (connect as number) - (dns as number),
    tlsMs: (app as number) > 0 ? (app as number) - (connect as number) : 0,
    ttfbMs: (start as number) - connected,
    totalMs: total as number,
  };
}

function medianPhases(all: readonly Phases[]): Phases {
  const m = (k: keyof Phases) => median(all.map((p) => p[k]));
  return {
    dnsMs: m('dnsMs'),
    connectMs: m('connectMs'),
    tlsMs: m('tlsMs'),
    ttfbMs: m('ttfbMs'),
    totalMs: m('totalMs'),
  };
}

async function checkTimings(sitesFile: string, signal?: AbortSignal): Promise<CheckTimings[]> {
  const out = await measureProcess(
    process.execPath,
    [BIN, 'check', sitesFile, '--json', '-c', '100', '-r', '0'],
    {
      timeoutMs: 60_000,
      signal,
    },
  );
  if (out.code !== 0) throw new Error(`check exited with ${out.code}: ${out.stderr}`);
  return (JSON.parse(out.stdout) as { results: Array<{ timings: CheckTimings }> }).results.map(
    (r) => r.timings,
  );
}

async function measureCase(
  label: string,
  urls: string[],
  repeat: number,
  ctx: FixtureContext,
  signal?: AbortSignal,
): Promise<FastCase> {
  const file = join(ctx.dir, `fast-${urls.length}.sites.json`);
  await writeFile(file, JSON.stringify({ defaults: { retries: 0, timeoutMs: 5000 }, sites: urls }));
  const ours: CheckTimings[] = [];
  const curls: Phases[] = [];
  for (let r = 0; r < repeat; r++) {
    if (signal?.aborted) throw new AbortedError();
    ours.push(...(await checkTimings(file, signal)));
    // One curl process per URL, one after the other: each a fresh client with nothing else to do.
    for (const url of urls) curls.push(await curlPhases(url));
  }
  const phases = ours.map((t) => ({
    dnsMs: phase(t.dnsMs),
    connectMs: phase(t.connectMs),
    tlsMs: phase(t.tlsMs),
    ttfbMs: phase(t.ttfbMs),
    totalMs: phase(t.totalMs),
  }));
  return {
    label,
    check: medianPhases(phases),
    curl: medianPhases(curls),
    // 0.05 ms of slack: each phase is rounded to 0.1 ms in the JSON.
    phasesOver: phases.filter((p) => p.dnsMs + p.connectMs + p.tlsMs + p.ttfbMs > p.totalMs + 0.15).length,
    results: phases.length,
    maxTotalMs: Math.max(...phases.map((p) => p.totalMs)),
  };
}

export async function runFastSites(
  ctx: FixtureContext,
  repeat: number,
  signal?: AbortSignal,
): Promise<FastSitesReport> {
  const SWEEP = 100;
  const useNginx = nginxMissing() === null;
  const server = useNginx
    ? await startNginx(ctx.dir, SWEEP)
    : await FIXTURE_KINDS.http?.({ kind: 'http', sites: SWEEP, latencyMs: 0 }, ctx);
  if (!server) throw new Error('no http fixture');
  try {
    const alone = await measureCase(
      'one site alone in a fresh `check`',
      server.urls.slice(0, 1),
      repeat,
      ctx,
      signal,
    );
    const sweep = await measureCase(`${SWEEP} sites in one sweep (-c 100)`, server.urls, repeat, ctx, signal);
    return {
      server: useNginx
        ? 'nginx on 127.0.0.1 (one process), `return 200`'
        : 'the node fixture in its own process (nginx not installed)',
      cases: [alone, sweep],
    };
  } finally {
    await server.close();
  }
}

export function renderFastSites(report: FastSitesReport): string {
  const f = (x: number) => x.toFixed(2);
  const lines = [
    `### Fast sites: ${report.server}; \`check --json\` timings beside curl \`-w\` (medians, ms)`,
    '',
    '| case | curl total | check total | difference | check dns / connect / tls / ttfb | curl dns / connect / tls / ttfb | check slowest | phases over total |',
    '|---|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const c of report.cases) {
    const p = (x: Phases) => [x.dnsMs, x.connectMs, x.tlsMs, x.ttfbMs].map(f).join(' / ');
    lines.push(
      `| ${c.label} | ${f(c.curl.totalMs)} | ${f(c.check.totalMs)} | ${f(c.check.totalMs - c.curl.totalMs)} | ${p(c.check)} | ${p(c.curl)} | ${f(c.maxTotalMs)} | ${c.phasesOver} of ${c.results} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
