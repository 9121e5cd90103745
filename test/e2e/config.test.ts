// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

// The config rules of issue 10, on the built bin: YAML files, durations with and without units, the
// command line over per-site values, and keys in the wrong place. `npm test` builds dist/ first.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { repoRoot, runBin, tempDir } from '../helpers/processes.js';

const PLAIN_ENV = { NO_COLOR: '', FORCE_COLOR: '' };
const { defer, serve, raw, config } = useCleanup();

function bin(args: string[], env: Record<string, string> = {}) {
  return runBin(args, { env: { ...PLAIN_ENV, ...env }, timeoutMs: 10_000 });
}

/** A config file named `name` holding `text` as written, in a fresh folder. */
async function file(name: string, text: string): Promise<string> {
  const dir = await tempDir();
  defer(dir.cleanup);
  const path = join(dir.path, name);
  await writeFile(path, text);
  return path;
}

describe('YAML config files (built bin)', () => {
  it('check reads a .yaml file with comments and ${VAR}, and checks its sites', async () => {
    const up = await serve(status(200));
    const down = await serve(status(404));
    const path = await file(
      'sites.yaml',
      [
        '# yaml-language-server: $schema=./sites.schema.json',
        'defaults:',
        '  timeoutMs: 5s # per attempt',
        'sites:',
        `  - url: ${up.url}/?who=\${WHO}`,
        '    name: Up',
        `  - ${down.url}`,
        '',
      ].join('\n'),
    );
    const run = await bin(['check', path, '--json'], { WHO: 'e2e' });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary).toEqual({ total: 2, up: 1, down: 1 });
    expect(doc.results.map((r: { name: string | null }) => r.name)).toEqual(['Up', null]);
    expect(up.requests.map((r) => r.url)).toEqual(['/?who=e2e']);
  });

  it('validate lists every problem of a YAML file with file:line:column, and checks nothing', async () => {
    const server = await serve(status(200));
    const path = await file(
      'sites.yml',
      [
        'defaults:',
        '  timeoutMs: 5',
        'sites:',
        `  - url: ${server.url}`,
        '    smtp: smtp://mail.example',
        '',
      ].join('\n'),
    );
    const run = await bin(['validate', path]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `${path}:2:14: defaults.timeoutMs: 5 ms is too short for a web request: did you mean "5s"? (write "5ms" to mean 5 ms)`,
    );
    expect(run.stderr).toContain(
      `${path}:5:11: sites[0].smtp: misplaced key: "smtp" belongs in a channel under "channels", not on a site`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('validate reports YAML syntax errors with their line and column', async () => {
    const path = await file('sites.yaml', 'sites:\n  - url: a: b\n  - @x\n');
    const run = await bin(['validate', path]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path}:2:10: (root): invalid YAML: Nested mappings`);
    expect(run.stderr).toContain(`${path}:3:5: (root): invalid YAML: Plain value cannot start`);
  });

  it('sniffs a file with another extension: YAML here', async () => {
    const path = await file('sites.conf', '- https://a.example/\n');
    const run = await bin(['validate', path]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${path} is valid: 1 site, 0 channels`);
  });

  it('validate says the example YAML and JSON hold the same sites', async () => {
    const yaml = await bin(['validate', 'sites.example.yaml']);
    const json = await bin(['validate', 'sites.example.json']);

    expect(yaml.code).toBe(0);
    expect(yaml.stdout.replace('sites.example.yaml', 'X')).toBe(
      json.stdout.replace('sites.example.json', 'X'),
    );
    expect(yaml.stdout).toContain(
      'Node.js (https://nodejs.org): GET, timeout 10s per attempt, 1 retry (at most 20.5s)',
    );
  });
});

describe('loading the YAML parser (built bin)', () => {
  const REGISTER = join(repoRoot, 'test/helpers/module-log/register.mjs');

  /**
   * Whether `validate FILE` loaded the yaml package: an ESM import shows in the module hook's log (as in
   * the start-up test), a require() (how it is loaded, on demand) in NODE_DEBUG=module's output.
   */
  async function loadsYaml(config: string): Promise<boolean> {
    const dir = await tempDir();
    defer(dir.cleanup);
    const log = join(dir.path, 'modules.log');
    const run = await bin(['validate', config], {
      NODE_OPTIONS: `--import=${REGISTER}`,
      US_MODULE_LOG: log,
      NODE_DEBUG: 'module',
    });
    expect(run.code).toBe(0);
    const urls = (await readFile(log, 'utf8')).split('\n');
    // The hook saw the program start (the bundled CLI, dist/bundle/).
    expect(urls.some((u) => u.includes('/dist/bundle/cli.js'))).toBe(true);
    return urls.some((u) => u.includes('/node_modules/yaml/')) || run.stderr.includes('/node_modules/yaml/');
  }

  it('happens only for a YAML file: a JSON config never pays for it', async () => {
    expect(await loadsYaml('sites.example.json')).toBe(false);
    expect(await loadsYaml('sites.example.yaml')).toBe(true);
  });
});

describe('durations and the command line over the config (built bin)', () => {
  it('--timeout 5 is a usage error with the hint; nothing is checked', async () => {
    const server = await serve(status(200));
    const path = await config([server.url]);
    const run = await bin(['check', path, '--timeout', '5']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      '5 ms is too short for a web request: did you mean 5s? (write 5ms to mean 5 ms)',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('--timeout 50ms means 50 ms', async () => {
    const server = await raw(silent());
    const path = await config({ sites: [{ url: server.url, retries: 0 }] });
    const run = await bin(['check', path, '--json', '--timeout', '50ms']);

    expect(run.code).toBe(1);
    const [result] = JSON.parse(run.stdout).results;
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 1 });
    expect(result.error).toContain('50 ms');
  });

  it("--timeout overrides a site's own timeoutMs, and --retries its own retries", async () => {
    const silentServer = await raw(silent());
    const failing = await serve(status(503));
    const path = await config({
      sites: [
        // Without the override this site would take 20 s, past the run's bound of 10 s.
        { url: silentServer.url, timeoutMs: '20s', retries: 0 },
        { url: failing.url, retries: 3 },
      ],
    });
    const run = await bin(['check', path, '--json', '--timeout', '300ms', '--retries', '0']);

    expect(run.code).toBe(1);
    const [slow, broken] = JSON.parse(run.stdout).results;
    expect(slow).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(slow.error).toContain('300 ms');
    expect(broken).toMatchObject({ kind: 'http-status', status: 503, attempts: 1 });
    expect(failing.requests).toHaveLength(1);
  });

  it('a config timeoutMs written with a unit means it exactly', async () => {
    const server = await raw(silent());
    const path = await config({ sites: [{ url: server.url, timeoutMs: '80ms', retries: 1 }] });
    const run = await bin(['check', path, '--json']);

    expect(run.code).toBe(1);
    const [result] = JSON.parse(run.stdout).results;
    // Each attempt has its own 80 ms, and a timed-out attempt is retried.
    expect(result).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(result.error).toContain('80 ms');
  });
});

describe('unknown keys (built bin)', () => {
  it('suggests only close names, and says where a misplaced key belongs', async () => {
    const path = await config({
      timeoutMs: 5000,
      sites: [{ url: 'https://a.example/', maxResponseTimeMs: 500, channels: {} }],
    });
    const run = await bin(['validate', path]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'sites[0].maxResponseTimeMs: unknown key "maxResponseTimeMs"; allowed keys are url,',
    );
    expect(run.stderr).not.toContain('did you mean "maxRedirects"');
    expect(run.stderr).toContain(
      'sites[0].channels: misplaced key: "channels" belongs at the top level of the file, not on a site',
    );
    expect(run.stderr).toContain('timeoutMs: misplaced key: "timeoutMs" is a per-site option');
  });
});
