/**
 * A command loads only what it uses: the built bin runs under a module hook that records every module
 * resolved (test/helpers/module-log), and the heavy packages must be absent where they are not needed,
 * and present where they are (so this test can fail). The bin runs the bundle (dist/bundle/, see
 * scripts/build-dist.mjs): each chunk it loads stands for the modules the chunk holds, as the build's
 * dist/bundle/meta.json lists them (tsc's dist/ files and node_modules files).
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
/** What `--help`, `--version` and `validate` never need: the HTTP client, the cron parser. */
const NOT_AT_START = ['undici', 'cron', 'luxon'] as const;
const REGISTER = join(repoRoot, 'test/helpers/module-log/register.mjs');

const { defer, serve, config } = useCleanup();

/** Which modules each chunk of the bundle holds, by path from the repository root. */
async function chunks(): Promise<Record<string, string[]>> {
  return JSON.parse(await readFile(join(repoRoot, 'dist/bundle/meta.json'), 'utf8')) as Record<
    string,
    string[]
  >;
}

/** Runs the bin under the hook; returns its exit code and the packages and project files it loaded. */
async function loaded(args: string[]): Promise<{
  code: number | null;
  packages: Set<string>;
  files: string[];
  builtins: Set<string>;
  bundleFiles: Set<string>;
}> {
  const dir = await tempDir();
  defer(dir.cleanup);
  const log = join(dir.path, 'modules.log');
  const run = await runBin(args, {
    env: { NODE_OPTIONS: `--import=${REGISTER}`, US_MODULE_LOG: log, NO_COLOR: '1' },
    timeoutMs: 20_000,
  });
  const meta = await chunks();
  const urls = (await readFile(log, 'utf8')).split('\n');
  const builtins = new Set(urls.filter((url) => url.startsWith('node:')));
  const loadedFiles = urls
    .filter((url) => url.startsWith('file:'))
    .map((url) => url.slice(url.lastIndexOf(repoRoot) + repoRoot.length).replace(/^\//, ''));
  const bundleFiles = new Set(loadedFiles.filter((path) => path.startsWith('dist/bundle/')));
  const paths = loadedFiles.flatMap((path) => meta[path] ?? [path]);
  expect(
    paths.some((p) => p.startsWith('dist/bundle/')),
    'every chunk is in meta.json',
  ).toBe(false);
  const packages = new Set(paths.flatMap((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1] ?? []));
  const files = paths.filter((p) => p.startsWith('dist/'));
  // The hook saw the program start: commander is what every command needs.
  expect(packages.has('commander'), `modules seen for ${args.join(' ')}`).toBe(true);
  return { code: run.code, packages, files, builtins, bundleFiles };
}

function expectNone(packages: Set<string>, names: readonly string[] = HEAVY): void {
  expect(names.filter((name) => packages.has(name))).toEqual([]);
}

describe('start-up loads only what the command uses (built bin)', () => {
  it('--help and --version load no heavy package, no command code and no benchmark', async () => {
    for (const args of [['--help'], ['--version']]) {
      const { code, packages, files, bundleFiles } = await loaded(args);
      expect(code).toBe(0);
      // One file: the chunks cli.js imports are merged into it (scripts/build-dist.mjs, mergeStartup).
      expect([...bundleFiles]).toEqual(['dist/bundle/cli.js']);
      expectNone(packages);
      // Neither the HTTP client nor the config's schemas: the mode registry and the option
      // declarations load no probe, and no config is read.
      expectNone(packages, [...NOT_AT_START, 'zod']);
      expect(files.filter((f) => /^dist\/(probe|config|store|watch)\//.test(f))).toEqual([]);
      expect(files.filter((f) => f.startsWith('dist/commands/') && !f.endsWith('/command.js'))).toEqual([]);
      expect(files.filter((f) => f.startsWith('dist/bench/'))).toEqual([]);
      expect(files.filter((f) => /^dist\/strategies\/(pool|in-process)[.-]/.test(f))).toEqual([]);
    }
  });

  it('validate loads none of them, and no HTTP client', async () => {
    const { code, packages, files, builtins } = await loaded(['validate', 'sites.example.json']);
    expect(code).toBe(0);
    expectNone(packages);
    expectNone(packages, NOT_AT_START);
    expect(packages.has('zod')).toBe(true);
    expect(files).toContain('dist/commands/validate.js');
    expect(files.filter((f) => f.startsWith('dist/probe/'))).toEqual([]);
    // The young generation's cap is for long site lists only (src/util/young-generation.ts).
    expect(builtins.has('node:v8')).toBe(false);
  });

  it.each(MODE_NAMES)('check --mode %s loads none of them', async (mode) => {
    const server = await serve(status(200));
    const file = await config([server.url]);
    const { code, packages, builtins } = await loaded(['check', file, '--mode', mode, '--workers', '1']);
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expectNone(packages);
    // chalk's own colour detection (node:tty) is left out of the bundle: the CLI sets the level itself.
    expect(packages.has('chalk')).toBe(true);
    expect(builtins.has('node:tty')).toBe(false);
    // An HTTP/1.1 site needs the probe's own client, not undici (loaded for HTTP/2 only), nor the cron parser.
    expectNone(packages, ['undici', 'cron', 'luxon']);
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
