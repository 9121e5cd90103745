/**
 * The "names at scale" benchmark (`npm run bench:dns`): a `check` sweep of N distinct host names, each
 * pointing at a loopback fixture origin, resolved by a local DNS server that answers in 20 ms, against
 * the same sweep by IP address. `check` runs as a whole process, as a user runs it, and is pointed at
 * the DNS server the way a user would: `--dns-server`.
 *
 *   npm run bench:dns -- [--sites 10000,2000] [--latency 200] [--dns-delay 20] [--concurrency 100] [--repeat 1]
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDnsServer } from './dns-server.js';
import { startFixture } from './fixture.js';

const BIN = fileURLToPath(new URL('../../bin/uptime-squirrel.js', import.meta.url));

interface Run {
  wallS: number;
  cpuS: number;
  exitCode: number | null;
}

/** One `check` from fork to exit: wall time, and the CPU of the process as its parent's wait saw it. */
function runCheck(config: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'check', config, '--quiet', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      const wallS = (performance.now() - started) / 1000;
      resolve({ wallS, cpuS: Number.NaN, exitCode });
    });
  });
}

/**
 * CPU seconds of the children this process has waited for (the rusage of RUSAGE_CHILDREN, which
 * /proc/self/stat shows as cutime and cstime, in clock ticks of 1/100 s): read before and after a run.
 */
function childrenCpuS(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '10000,2000' },
      latency: { type: 'string', default: '200' },
      'dns-delay': { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '100' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const sizes = values.sites.split(',').map(Number);
  const latencyMs = Number(values.latency);
  const repeat = Number(values.repeat);
  const common = ['-c', values.concurrency, '-t', '5s', '-r', '0'];
  const dir = await mkdtemp(join(tmpdir(), 'squirrel-dns-bench-'));
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const fixture = await startFixture({ sites: n, latencyMs, errorRate: 0 });
      const records: Record<string, string> = {};
      const byName = fixture.urls.map((url, i) => {
        const u = new URL(url);
        const name = `s${i}.names.bench`;
        records[name] = u.hostname;
        return `http://${name}:${u.port}/`;
      });
      const dns = await startDnsServer(records, { delayMs: Number(values['dns-delay']), ttlS: 300 });
      const ipConfig = join(dir, `ip-${n}.json`);
      const nameConfig = join(dir, `names-${n}.json`);
      await writeFile(ipConfig, JSON.stringify(fixture.urls));
      await writeFile(nameConfig, JSON.stringify(byName));
      const runs = { ip: [] as Run[], names: [] as Run[] };
      try {
        // Interleaved, so that a noisy neighbour weighs on both alike.
        for (let r = 0; r < repeat; r++) {
          for (const kind of ['ip', 'names'] as const) {
            const before = childrenCpuS();
            const run = await (kind === 'ip'
              ? runCheck(ipConfig, common)
              : runCheck(nameConfig, [...common, '--dns-server', dns.server]));
            run.cpuS = childrenCpuS() - before;
            runs[kind].push(run);
            process.stderr.write(
              `N=${n} ${kind}: ${run.wallS.toFixed(2)} s wall, ${run.cpuS.toFixed(2)} s CPU, exit ${run.exitCode}\n`,
            );
          }
        }
      } finally {
        await dns.close();
        await fixture.close();
      }
      const ip = median(runs.ip.map((r) => r.wallS));
      const names = median(runs.names.map((r) => r.wallS));
      const floor = (Math.ceil(n / Number(values.concurrency)) * latencyMs) / 1000;
      const allUp = [...runs.ip, ...runs.names].every((r) => r.exitCode === 0);
      rows.push(
        `| ${n} | ${floor.toFixed(2)} s | ${ip.toFixed(2)} s | ${names.toFixed(2)} s | ${(names / ip).toFixed(2)}x | ${median(runs.ip.map((r) => r.cpuS)).toFixed(2)} s / ${median(runs.names.map((r) => r.cpuS)).toFixed(2)} s | ${dns.peakOutstanding} | ${allUp ? 'yes' : 'NO'} |`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `names at scale: check -c ${values.concurrency}, sites answering in ${latencyMs} ms, DNS answering in ${values['dns-delay']} ms; medians of ${repeat} run(s), whole process`,
      '',
      '| names | floor | by IP: wall | by name: wall | names / IP | CPU (IP / names) | DNS queries held at once | every site up |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}

await main();
