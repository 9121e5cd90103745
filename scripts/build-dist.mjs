#!/usr/bin/env node
/**
 * Builds dist/ from src/ with the TypeScript compiler (a dev dependency). npm runs it as `prepare`
 * (npm ci and npm install in a clone, npm install -g . from one) and as `prepack` (npm pack, npm publish,
 * so a tarball always ships a fresh dist/; prepare leaves a dist/ newer than every source as it is).
 * Installing the tarball runs neither: it needs no compiler.
 *
 * `npm install -g .` links the clone into the global folder and installs nothing into it: from a fresh
 * clone the command would have neither its dependencies nor dist/. Then this installs them as `npm ci`
 * does (whose own `prepare` builds).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const say = (line) => process.stderr.write(`uptime-squirrel: ${line}\n`);
const event = process.env.npm_lifecycle_event;

// npm pack and npm publish run prepack, then prepare: once is enough.
if (event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

function run(command, args, env = process.env) {
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (error) throw error;
  if (status !== 0) process.exit(status ?? 1);
}

if (!existsSync(tsc)) {
  if (!existsSync(join(root, 'node_modules', 'commander'))) {
    say('no dependencies in this folder (npm install -g . links it as it is): installing them with npm ci');
    // The global install's own settings must not turn this into a second global install.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^npm_config_(global|prefix|local_prefix|location)$/i.test(key),
      ),
    );
    run('npm', ['ci', '--no-audit', '--no-fund'], env);
    process.exit(0);
  }
  if (event !== 'prepack' && existsSync(join(root, 'dist', 'cli.js'))) {
    // Dependencies without the dev ones (npm ci --omit=dev) beside a dist/ built before: nothing to do.
    process.exit(0);
  }
  say('cannot build dist/: TypeScript, a dev dependency, is not installed here. Run npm ci (it builds).');
  process.exit(1);
}

/** The newest modification time of the files under `dir` (0 when there are none). */
function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) time = Math.max(time, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return time;
}

// prepare (npm ci, npm install -g .) leaves a dist/ newer than every source as it is; prepack always builds.
const built = join(root, 'dist', 'cli.js');
if (event === 'prepare' && existsSync(built)) {
  const sources = Math.max(
    newest(join(root, 'src')),
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  if (statSync(built).mtimeMs > sources) process.exit(0);
}

// A clean build: a module whose source is gone must not linger in dist/ (and in the tarball).
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
