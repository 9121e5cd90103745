/**
 * A command loads only what it uses: the built bin runs under a module hook that records every module
 * resolved (test/helpers/module-log), and the heavy packages must be absent where they are not needed,
 * and present where they are (so this test can fail).
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODE_NAMES } from '../../src/strategies/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot, runBin, tempDir } from '../helpers/processes.js';

const HEAVY = ['bullmq', 'ioredis', 'better-sqlite3', 'nodemailer'] as const;
const REGISTER = join(repoRoot, 'test/helpers/module-log/register.mjs');

const { defer, serve, config } = useCleanup();

/** Runs the bin under the hook; returns its exit code and the packages and project files it loaded. */
async function loaded(
  args: string[],
): Promise<{ code: number | null; packages: Set<string>; files: string[] }> {
  const dir = await tempDir();
  defer(dir.cleanup);
  const log = join(dir.path, 'modules.log');
  const run = await runBin(args, {
    env: { NODE_OPTIONS: `--import=${REGISTER}`, US_MODULE_LOG: log, NO_COLOR: '1' },
    timeoutMs: 20_000,
  });
  const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const packages = new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  const files = urls.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/') + 1));
  // The hook saw the program start: commander is what every command needs.
  expect(packages.has('commander'), `modules seen for ${args.join(' ')}`).toBe(true);
  return { code: run.code, packages, files };
}

function expectNone(packages: Set<string>): void {
  expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
}

describe('start-up loads only what the command uses (built bin)', () => {
  it('--help and --version load no heavy package, no command code and no benchmark', async () => {
    for (const args of [['--help'], ['--version']]) {
      const { code, packages, files } = await loaded(args);
      expect(code).toBe(0);
      expectNone(packages);
      expect(files.filter((f) => f.startsWith('dist/commands/') && !f.endsWith('/command.js'))).toEqual([]);
      expect(files.filter((f) => f.startsWith('dist/bench/'))).toEqual([]);
    }
  });

  it('validate loads none of them', async () => {
    const { code, packages, files } = await loaded(['validate', 'sites.example.json']);
    expect(code).toBe(0);
    expectNone(packages);
    expect(files).toContain('dist/commands/validate.js');
  });

  it.each(MODE_NAMES)('check --mode %s loads none of them', async (mode) => {
    const server = await serve(status(200));
    const file = await config([server.url]);
    const { code, packages } = await loaded(['check', file, '--mode', mode, '--workers', '1']);
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expectNone(packages);
  });

  it('the commands that need them do load them', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const report = await loaded(['report', '--db', join(dir.path, 'none.db')]);
    expect(report.code).toBe(4);
    expect(report.packages.has('better-sqlite3')).toBe(true);

    const file = await config(['http://127.0.0.1:9/']);
    const queue = await loaded([
      'check',
      file,
      '--mode',
      'queue',
      '--redis',
      `redis://127.0.0.1:${await freePort()}`,
    ]);
    expect(queue.code).toBe(3);
    expect(queue.packages.has('bullmq')).toBe(true);
    expect(queue.packages.has('ioredis')).toBe(true);

    const smtp = `smtp://127.0.0.1:${await freePort()}`;
    const mail = await config({
      sites: ['http://127.0.0.1:9/'],
      channels: { ops: { type: 'email', smtp, from: 'a@example.com', to: 'b@example.com' } },
    });
    const notify = await loaded(['notify-test', mail, '--timeout', '2s']);
    expect(notify.code).toBe(1);
    expect(notify.packages.has('nodemailer')).toBe(true);
  });
});
