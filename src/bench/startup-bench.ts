import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:startup [-- --repeat 9] [--before OTHER/bin/uptime-squirrel.js]`
 *
 * Start-up cost, measured from outside as whole processes: each case is spawned, waited for, and its wall
 * time taken from spawn to exit; `node -e 0` runs in the same rounds as the baseline, and the cases are
 * interleaved round by round so that a busy moment of the machine falls on all of them alike. CPU (user +
 * system) and peak RSS come from /usr/bin/time when it is installed (its own fork and exec add the same
 * ~1 ms to every case, the baseline included). Targets (issue 12): `--version`, `--help` and `validate`
 * within 1.5x of `node -e 0`, `check` of one loopback site within 2x.
 */

const BIN = fileURLToPath(new URL('../../bin/uptime-squirrel.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../sites.example.json', import.meta.url));
const TIME = '/usr/bin/time';

interface Case {
  name: string;
  args: string[];
  /** The ratio to `node -e 0` the issue asks for. */
  target: number | null;
  expectCode: number;
}

interface Run {
  wallMs: number;
  cpuMs: number | null;
  rssMb: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function runOnce(args: string[], dir: string, expectCode: number): Promise<Run> {
  const usage = join(dir, 'usage');
  const timed = existsSync(TIME);
  const [command, argv] = timed
    ? [TIME, ['-o', usage, '-f', '%U %S %M', process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, argv, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - start;
      if (code !== expectCode) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}, not ${expectCode}: ${stderr}`));
        return;
      }
      if (!timed) {
        resolve({ wallMs, cpuMs: null, rssMb: null });
        return;
      }
      const [user, system, rssKb] =
        readFileSync(usage, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
      resolve({ wallMs, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000, rssMb: (rssKb ?? 0) / 1024 });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { repeat: { type: 'string', default: '9' }, before: { type: 'string' } },
  });
  const repeat = Number(values.repeat);
  const dir = mkdtempSync(join(os.tmpdir(), 'us-startup-bench-'));
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const site = join(dir, 'one-site.json');
  writeFileSync(site, JSON.stringify({ sites: [`http://127.0.0.1:${port}/`] }));
  const cases: Case[] = [
    { name: 'node -e 0', args: ['-e', '0'], target: null, expectCode: 0 },
    { name: '--version', args: [BIN, '--version'], target: 1.5, expectCode: 0 },
    { name: '--help', args: [BIN, '--help'], target: 1.5, expectCode: 0 },
    { name: 'validate example', args: [BIN, 'validate', EXAMPLE], target: 1.5, expectCode: 0 },
    { name: 'check 1 loopback site', args: [BIN, 'check', site], target: 2, expectCode: 0 },
  ];
  // --before BIN: the same commands run by another build (an older checkout), in the same rounds.
  if (values.before !== undefined) {
    const before = values.before;
    cases.push(
      ...cases
        .filter((c) => c.args[0] === BIN)
        .map((c) => ({ ...c, name: `before: ${c.name}`, args: [before, ...c.args.slice(1)] })),
    );
  }
  const runs = new Map<string, Run[]>(cases.map((c) => [c.name, []]));
  console.log(
    `# start-up: ${repeat} interleaved rounds, medians; ${os.cpus().length} cores, node ${process.version}`,
  );
  try {
    // One warm-up round, not counted: the first spawn reads the files from disk.
    for (const c of cases) await runOnce(c.args, dir, c.expectCode);
    for (let r = 0; r < repeat; r++) {
      for (const c of cases) runs.get(c.name)?.push(await runOnce(c.args, dir, c.expectCode));
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = median((runs.get('node -e 0') ?? []).map((r) => r.wallMs));
  console.log('case                             wall ms   min ms  vs node -e 0  target  CPU ms  peak RSS MB');
  for (const c of cases) {
    const rs = runs.get(c.name) ?? [];
    const wall = median(rs.map((r) => r.wallMs));
    const cpu = rs[0]?.cpuMs === null ? null : median(rs.map((r) => r.cpuMs ?? 0));
    const rss = rs[0]?.rssMb === null ? null : median(rs.map((r) => r.rssMb ?? 0));
    const ratio = wall / base;
    const verdict = c.target === null ? '' : `${c.target}x ${ratio <= c.target ? 'met' : 'MISSED'}`;
    console.log(
      [
        c.name.padEnd(30),
        wall.toFixed(0).padStart(9),
        Math.min(...rs.map((r) => r.wallMs))
          .toFixed(0)
          .padStart(8),
        `${ratio.toFixed(2)}x`.padStart(13),
        verdict.padStart(11),
        (cpu === null ? '-' : cpu.toFixed(0)).padStart(7),
        (rss === null ? '-' : rss.toFixed(0)).padStart(12),
      ].join(' '),
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
