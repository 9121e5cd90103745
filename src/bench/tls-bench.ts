/**
 * TLS session resumption across sweeps (`npm run bench:tls`): N https origins on loopback (an ECDSA
 * certificate from a local CA the benchmark makes with openssl), served by a child process so that
 * their CPU is not counted; then sweeps as `watch` runs them (the async mode, sessions kept), each
 * sweep's CPU per check measured in this process. The first sweep makes full handshakes; from the
 * second on they are resumed. A sweep as `check` runs it (no session kept) is measured beside them.
 *
 *   npm run bench:tls -- [--sites 2000] [--concurrency 100] [--sweeps 4]
 */

import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { asyncStrategy } from '../strategies/async.js';

interface Pki {
  ca: string;
  key: string;
  cert: string;
}

/** A P-256 CA and a leaf for 127.0.0.1 and localhost signed by it. */
function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'squirrel-tls-bench-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=bench CA',
    );
    ssl('req', ...ec, '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=localhost');
    writeFileSync(f('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl(
      'x509',
      '-req',
      '-in',
      f('leaf.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f('ext'),
      '-out',
      f('leaf.crt'),
    );
    return {
      ca: readFileSync(f('ca.crt'), 'utf8'),
      key: readFileSync(f('leaf.key'), 'utf8'),
      cert: readFileSync(f('leaf.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child: N https servers answering at once; sends their ports, then counts resumed handshakes. */
async function serve(pki: Pki, n: number): Promise<void> {
  const counts = { full: 0, resumed: 0 };
  const servers: Server[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer({ key: pki.key, cert: pki.cert }, (_req, res) => res.end());
    server.on('secureConnection', (s: TLSSocket) => {
      if (s.isSessionReused()) counts.resumed++;
      else counts.full++;
    });
    await new Promise<void>((resolve) =>
      server.listen({ host: '127.0.0.1', port: 0, backlog: 512 }, resolve),
    );
    servers.push(server);
  }
  process.send?.({ ports: servers.map((s) => (s.address() as AddressInfo).port) });
  process.on('message', () => {
    process.send?.({ ...counts });
    counts.full = 0;
    counts.resumed = 0;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '100' },
      sweeps: { type: 'string', default: '4' },
    },
  });
  const n = Number(values.sites);
  const pki = makePki();
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ pki, n });
  const next = () => new Promise<Record<string, unknown>>((resolve) => child.once('message', resolve));
  const { ports } = (await next()) as { ports: number[] };
  const sites: Site[] = ports.map((port) => ({
    ...DEFAULT_OPTIONS,
    url: `https://127.0.0.1:${port}/`,
    name: null,
  }));
  const rows: string[] = [];
  const sweep = async (label: string, keepTlsSessions: boolean) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const results = await asyncStrategy.run(sites, {
      concurrency: Number(values.concurrency),
      userAgent: USER_AGENT,
      secrets: [],
      ca: pki.ca,
      keepTlsSessions,
    });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    child.send('count');
    const counts = (await next()) as { full: number; resumed: number };
    const perCheck = (used.user + used.system) / 1000 / n;
    const up = results.filter((r) => r.ok).length;
    rows.push(
      `| ${label} | ${perCheck.toFixed(3)} ms | ${(wallMs / 1000).toFixed(2)} s | ${counts.full} / ${counts.resumed} | ${up}/${n} |`,
    );
    return perCheck;
  };
  try {
    // Warm-up, then check (full handshakes, no session kept) and watch (resumed from its second sweep)
    // in turn, so that a noisy machine weighs on both alike.
    await sweep('check, warm-up', false);
    await sweep('watch, sweep 1', true);
    const full: number[] = [];
    const resumed: number[] = [];
    for (let i = 2; i <= Number(values.sweeps); i++) {
      full.push(await sweep('check', false));
      resumed.push(await sweep(`watch, sweep ${i}`, true));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const [f, r] = [median(full), median(resumed)];
    process.stdout.write(
      [
        `https, ECDSA P-256 from a local CA, ${n} origins, concurrency ${values.concurrency}, 0 ms; CPU of the client process per check`,
        '',
        '| sweep | CPU per check | wall | server saw full / resumed | up |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `median CPU per check: full handshakes ${f.toFixed(3)} ms, resumed ${r.toFixed(3)} ms: ${(((f - r) / f) * 100).toFixed(0)}% less`,
        '',
      ].join('\n'),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv.includes('--serve')) {
  process.once('message', (msg) => {
    const { pki, n } = msg as { pki: Pki; n: number };
    void serve(pki, n);
  });
} else {
  await main();
}
