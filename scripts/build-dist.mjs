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
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  if (event !== 'prepack' && existsSync(join(root, 'dist', 'bundle', 'cli.js'))) {
    // Dependencies without the dev ones (npm ci --omit=dev) beside a dist/ built before: nothing to do.
    process.exit(0);
  }
  say(
    'cannot build dist/: TypeScript and esbuild, dev dependencies, are not installed here. Run npm ci (it builds).',
  );
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
const built = join(root, 'dist', 'bundle', 'cli.js');
if (event === 'prepare' && existsSync(built)) {
  const sources = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'scripts')),
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  if (statSync(built).mtimeMs > sources) process.exit(0);
}

// A clean build: a module whose source is gone must not linger in dist/ (and in the tarball).
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
await bundle();

/**
 * The program the bin runs: dist/bundle/, tsc's output bundled by esbuild, one file per command
 * (split where the CLI imports a command, a mode or a library on use), with the libraries every quick
 * command needs inside. Node 20 loads ~240 small ES modules (zod alone is 224) in ~100 ms of
 * resolving, reading and compiling; a handful of chunks take a fraction of that (docs/BENCHMARKS.md,
 * `npm run bench:startup`). The rest of dist/ stays as tsc wrote it, for the benchmarks.
 * Left outside, loaded from node_modules where a command uses them: the native SQLite binding, BullMQ
 * (it reads its Lua scripts from its own folder), and every other dependency not named in BUNDLED.
 * dist/bundle/meta.json says which modules each chunk holds (test/cli/startup.test.ts reads it).
 */
/** The probe's `undici` is scripts/bundle/undici-probe.mjs: the parts it uses, not the whole index. */
function probeUndici() {
  const probe = join(root, 'dist', 'probe');
  return {
    name: 'probe-undici',
    setup(build) {
      build.onResolve({ filter: /^undici$/ }, ({ importer }) =>
        importer.startsWith(probe)
          ? { path: join(root, 'scripts', 'bundle', 'undici-probe.mjs') }
          : undefined,
      );
    },
  };
}

/**
 * chalk's own colour detection (`#supports-color`: node:tty and node:os, ~10 ms of `check`'s start) is
 * never used: the CLI sets the level of every Chalk it makes (commands/shared.ts, chalkFor). chalk's
 * variant without it stands in; it sets only the default instance's level, which nothing here reads.
 */
function chalkWithoutDetection() {
  return {
    name: 'chalk-without-detection',
    setup(build) {
      build.onResolve({ filter: /^#supports-color$/ }, ({ importer }) =>
        importer.includes(`${join('node_modules', 'chalk')}`)
          ? { path: join(root, 'node_modules', 'chalk', 'source', 'vendor', 'supports-color', 'browser.js') }
          : undefined,
      );
    },
  };
}

async function bundle() {
  const BUNDLED = ['commander', 'zod', 'undici', 'chalk', 'p-limit', 'mustache'];
  const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { build } = await import('esbuild');
  const out = join(root, 'dist', 'bundle');
  const options = {
    absWorkingDir: root,
    // Same depth as dist/core/: `new URL('../../package.json', import.meta.url)` finds the package.
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: Object.keys(dependencies).filter((name) => !BUNDLED.includes(name)),
    // The CommonJS libraries inside (commander, undici) require Node's own modules.
    banner: {
      js: "import { createRequire as __usRequire } from 'node:module'; const require = __usRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
    plugins: [probeUndici(), chalkWithoutDetection()],
  };
  // Two builds: chunks shared with other entries would split the CLI's own into more, smaller files.
  const builds = await Promise.all([
    build({ ...options, entryPoints: [{ in: 'dist/cli.js', out: 'cli' }], chunkNames: '[name]-[hash]' }),
    // Scripts the program starts in a thread or process of their own, by a path beside the code that
    // starts them (`new URL('./pool-worker.js', import.meta.url)`), which is a chunk in this folder: the
    // pool's worker, and `bench`'s contender and fixture processes (every file of src/bench/, so that a
    // script added there is found too).
    build({
      ...options,
      entryPoints: [
        { in: 'dist/strategies/pool-worker.js', out: 'pool-worker' },
        ...readdirSync(join(root, 'dist', 'bench'))
          .filter((file) => file.endsWith('.js'))
          .map((file) => ({ in: `dist/bench/${file}`, out: file.slice(0, -'.js'.length) })),
      ],
      chunkNames: 'started-[name]-[hash]',
    }),
  ]);
  const chunks = Object.fromEntries(
    builds
      .flatMap(({ metafile }) => Object.entries(metafile.outputs))
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, { inputs }]) => [file, Object.keys(inputs)]),
  );
  await mergeStartup(build, builds[0].metafile, chunks);
  writeFileSync(join(out, 'meta.json'), `${JSON.stringify(chunks, null, 1)}\n`);
}

/**
 * esbuild gives a module that cli.js imports, and a command's chunk imports too, a chunk of its own (it
 * does not know that a command is loaded only after cli.js): `--help` loaded 15 files, 12 of them under
 * 2 kB, and Node 20 resolves, reads, compiles and links each one on its own (~1 ms a file on this
 * machine). The chunks cli.js imports are always loaded with it, so they go into it: esbuild bundles
 * cli.js and them into one file, and the other chunks import from cli.js instead. `chunks` (meta.json's
 * modules by chunk) is updated to match.
 */
async function mergeStartup(build, metafile, chunks) {
  const out = join(root, 'dist', 'bundle');
  const cli = 'dist/bundle/cli.js';
  const merged = new Set();
  const stack = [cli];
  while (stack.length > 0) {
    for (const { kind, path, external } of metafile.outputs[stack.pop()].imports) {
      if (kind === 'import-statement' && !external && !merged.has(path)) {
        merged.add(path);
        stack.push(path);
      }
    }
  }
  // Small chunks of the shared vocabulary (core/, util/) that need nothing more go in too: evaluating
  // one at every start costs less than reading it as a file of its own when a command needs it.
  const CHEAP = new Set(['node:fs', 'node:fs/promises', 'node:module', 'node:path']);
  for (let added = true; added; ) {
    added = false;
    for (const [file, { bytes, inputs, imports }] of Object.entries(metafile.outputs)) {
      if (!/\/chunk-[A-Z0-9]+\.js$/.test(file) || merged.has(file) || bytes > 4096) continue;
      if (!Object.keys(inputs).every((input) => /^dist\/(core|util)\//.test(input))) continue;
      if (!imports.every(({ path }) => merged.has(path) || CHEAP.has(path))) continue;
      merged.add(file);
      added = true;
    }
  }
  const name = (file) => file.slice(file.lastIndexOf('/') + 1);
  // `export *` leaves out a name two of them export: then the build must stop, not drop it.
  const exporters = new Map();
  for (const file of merged) {
    for (const exported of metafile.outputs[file].exports) {
      if (exporters.has(exported)) {
        throw new Error(`${exported} is exported by both ${exporters.get(exported)} and ${file}`);
      }
      exporters.set(exported, file);
    }
  }
  // cli.js's own exports, but for those it passes on from a chunk (InterruptedError, EXIT), which come
  // from the chunk: the same binding.
  const cliText = readFileSync(join(root, cli), 'utf8');
  const own = metafile.outputs[cli].exports.filter((exported) => {
    const chunk = exporters.get(exported);
    if (chunk === undefined) return true;
    const passedOn = new RegExp(
      `import\\s*\\{[^}]*\\b${exported}\\b[^}]*\\}\\s*from\\s*"\\./${name(chunk)}"`,
    );
    if (!passedOn.test(cliText)) throw new Error(`${exported} is exported by both cli.js and ${chunk}`);
    return false;
  });
  const inside = new Set([cli, ...merged].map(name));
  const result = await build({
    absWorkingDir: root,
    stdin: {
      contents: [
        `export { ${own.join(', ')} } from './cli.js';`,
        ...[...merged].map((file) => `export * from './${name(file)}';`),
      ].join('\n'),
      resolveDir: out,
      sourcefile: 'startup.js',
    },
    outfile: join(out, 'cli.js'),
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'other-chunks-stay-apart',
        setup(b) {
          // Builtins, packages left outside and every chunk not merged (what a command imports on use).
          b.onResolve({ filter: /.*/ }, ({ path }) =>
            path.startsWith('./') && inside.has(path.slice(2)) ? undefined : { path, external: true },
          );
        },
      },
    ],
  });
  if (result.errors.length > 0) throw new Error('merging the start-up chunks failed');
  for (const file of merged) rmSync(join(root, file));
  for (const file of readdirSync(out).filter((f) => f.endsWith('.js') && !inside.has(f))) {
    const text = readFileSync(join(out, file), 'utf8');
    const relinked = text.replace(/"\.\/(chunk-[A-Z0-9]+\.js)"/g, (whole, chunk) =>
      inside.has(chunk) ? '"./cli.js"' : whole,
    );
    if (relinked !== text) writeFileSync(join(out, file), relinked);
  }
  chunks[cli] = [...merged, cli].flatMap((file) => chunks[file]);
  for (const file of merged) delete chunks[file];
}
