import { cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { repoRoot, tempDir } from '../helpers/processes.js';
import { runProgram } from './running-bin.js';

/**
 * Installing it as a command: `npm pack` then installing the tarball, and `npm install -g .` from a clone,
 * each give a working `uptime-squirrel`. Both run on one copy of the sources in a temporary folder (the
 * build there must not rewrite the dist/ that other tests are running), sharing this checkout's
 * node_modules as a clone after `npm ci` would have its own. The copy starts without dist/: packing
 * builds it (prepack), and the link then finds it up to date (prepare builds only what is stale).
 */

const { serve, config } = useCleanup();

/** What a clone holds that packing and building use. */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'bin',
  'src',
  'scripts',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'sites.schema.json',
];

let dir = '';
let root = '';
let cleanup = async () => {};
beforeAll(async () => {
  const tmp = await tempDir();
  ({ path: dir, cleanup } = tmp);
  root = join(dir, 'clone');
  await mkdir(root);
  for (const entry of SOURCES) await cp(join(repoRoot, entry), join(root, entry), { recursive: true });
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
});
afterAll(() => cleanup());

/** The installed command runs: its version, and a check of a local server. */
async function works(bin: string): Promise<void> {
  const version = await runProgram(bin, ['--version']);
  expect(version.stdout.trim()).toBe(VERSION);
  const up = await serve(status(200));
  const file = await config([`${up.url}/installed`]);
  const run = await runProgram(bin, ['check', file, '--json'], { env: { NO_COLOR: '1' } });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).summary).toEqual({ total: 1, up: 1, down: 0 });
  expect(up.requests.map((r) => r.url)).toEqual(['/installed']);
}

const npm = (args: string[], cwd: string) =>
  runProgram('npm', [...args, '--no-audit', '--no-fund'], { cwd, timeoutMs: 110_000 });

describe('installing it as a command', () => {
  it('npm pack builds dist/ into the tarball (no sources, no tests), and the tarball installs a working bin', async () => {
    const packed = await npm(['pack', '--json', '--pack-destination', dir], root);
    expect(packed.code, packed.stderr).toBe(0);
    const [manifest] = JSON.parse(packed.stdout) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = (manifest?.files ?? []).map((f) => f.path);
    // prepack built it here: the copy had no dist/ of its own.
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/commands/check.js');
    expect(files).toContain('bin/uptime-squirrel.js');
    expect(
      files.filter((f) => !/^(dist\/|bin\/|package\.json$|README\.md$|sites\.schema\.json$)/.test(f)),
    ).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('src/'))).toEqual(
      [],
    );

    // Dependencies from the npm cache `npm ci` filled (the registry for what it lacks). Install scripts
    // are skipped: they would compile better-sqlite3 from source where no prebuilt binary downloads
    // (minutes), and `--version` and `check` never load it.
    const prefix = join(dir, 'installed');
    const installed = await npm(
      [
        'install',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--ignore-scripts',
        join(dir, manifest?.filename ?? ''),
      ],
      dir,
    );
    expect(installed.code, installed.stderr).toBe(0);
    await works(join(prefix, 'node_modules', '.bin', 'uptime-squirrel'));
  }, 120_000);

  it('npm install -g . from a clone links a working command', async () => {
    const prefix = join(dir, 'global');
    const installed = await npm(['install', '-g', '--prefix', prefix, '.'], root);
    expect(installed.code, installed.stderr).toBe(0);
    await works(join(prefix, 'bin', 'uptime-squirrel'));
  }, 120_000);
});
