// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { redirect, status } from '../helpers/handlers.js';
import { type Handler, startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { refusedUrl } from '../helpers/ports.js';
import { runBin } from '../helpers/processes.js';

// These tests run the built program (dist/): `npm test` builds it first; alone, run
// `npx tsc -p tsconfig.build.json` before them.

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point.
const ANSI = /\x1b\[/;
const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));
// A parent's colour settings must not leak into the children unless a test sets them.
const PLAIN_ENV = { NO_COLOR: '', FORCE_COLOR: '' };

const { defer, config } = useCleanup();

async function serve(handler: Handler, tls = false): Promise<TestHttpServer> {
  const server = await startHttpServer(handler, tls ? { tls: 'server' } : {});
  defer(server.close);
  return server;
}

function check(args: string[], env: Record<string, string> = {}) {
  return runBin(['check', ...args], { env: { ...PLAIN_ENV, ...env }, timeoutMs: 10_000 });
}

describe('uptime-squirrel check (built bin)', () => {
  it('exits 0 and prints a table when every site is up', async () => {
    const a = await serve(status(200));
    const b = await serve(status(200));
    const file = await config({ sites: [{ url: a.url, name: 'alpha' }, b.url] });
    const run = await check([file]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^UP\s+alpha/m);
    expect(run.stdout).toContain(b.url);
    expect(run.stdout).toContain('2 sites: 2 up, 0 down');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it('says the machine may be offline when no site answered at all, and not when one answered with a 503', async () => {
    const refused = [await refusedUrl(), await refusedUrl()];
    const none = await check([await config({ sites: refused.map((url) => ({ url, retries: 0 })) })]);
    expect(none.code).toBe(1);
    expect(none.stdout.trimEnd().split('\n').at(-1)).toBe(
      'no site answered: 2 of 2 failed with refused; is this machine offline?',
    );

    const failing = await serve(status(503));
    const some = await check([
      await config({ sites: [refused[0], failing.url].map((url) => ({ url, retries: 0 })) }),
    ]);
    expect(some.code).toBe(1);
    expect(some.stdout).not.toContain('no site answered');
  });

  it('exits 1 when a site is down', async () => {
    const up = await serve(status(200));
    const down = await serve(status(404));
    const file = await config([up.url, down.url]);
    const run = await check([file]);

    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/^STATE\s+SITE\s+TIME\s+DETAIL$/);
    expect(run.stdout.split('\n')[1]).toMatch(/^DOWN\s.*404/);
    expect(run.stdout).toContain('1 up, 1 down');
  });

  it('--json prints exactly one JSON document, and nothing on stderr when it is not a terminal', async () => {
    const up = await serve(status(200));
    const down = await serve(status(500));
    const file = await config({ sites: [up.url, { url: down.url, retries: 0 }] });
    const run = await check([file, '--json']);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(doc.summary).toEqual({ total: 2, up: 1, down: 1 });
    expect(doc.results.map((r: { url: string }) => r.url)).toEqual([up.url, down.url]);
    expect(doc.results[1]).toMatchObject({ ok: false, status: 500, kind: 'http-status' });
  });

  it('exits 2 on a config error: the file and path on stderr, nothing on stdout', async () => {
    const server = await serve(status(200));
    const file = await config({ sites: [server.url, { url: server.url, retries: 'twice' }] });
    const run = await check([file, '--json']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('sites[1]');
    expect(server.requests).toHaveLength(0);
  });

  it('exits 2 on a bad option value, naming it', async () => {
    const file = await config(['https://example.com']);
    const run = await check([file, '--concurrency', '0']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--concurrency');
  });

  it('trusts the CA in NODE_EXTRA_CA_CERTS for https sites', async () => {
    const server = await serve(status(200), true);
    const file = await config([`${server.url}/tls`]);

    const trusted = await check([file, '--json'], { NODE_EXTRA_CA_CERTS: CA_FILE });
    expect(trusted.code).toBe(0);
    const [result] = JSON.parse(trusted.stdout).results;
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.timings.tlsMs).not.toBeNull();
    expect(server.requests.map((r) => r.url)).toEqual(['/tls']);

    const untrusted = await check([file, '--json'], { NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout).results[0]).toMatchObject({ ok: false, kind: 'tls' });
  });

  it('prints no escape codes with NO_COLOR or --no-color, even when colour is forced', async () => {
    const up = await serve(status(200));
    const down = await serve(status(404));
    const file = await config([up.url, down.url]);

    expect((await check([file], { FORCE_COLOR: '1' })).stdout).toMatch(ANSI);
    expect((await check([file], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await check([file, '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await check([file])).stdout).not.toMatch(ANSI);
  });

  it('never prints a ${VAR} header secret', async () => {
    const secret = 'ghp_e2eSecretValue42';
    const server = await serve((req, res) => redirect(`/again?echo=${req.headers.authorization}`)(req, res));
    const file = await config({
      defaults: { headers: { Authorization: 'token ${GH_TOKEN}' } },
      sites: [server.url],
    });
    const table = await check([file], { GH_TOKEN: secret });
    const json = await check([file, '--json'], { GH_TOKEN: secret });

    expect(server.requests[0]?.headers.authorization).toBe(`token ${secret}`);
    expect(table.code).toBe(1);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).results[0].kind).toBe('redirect-loop');
    for (const output of [table.stdout, table.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(secret);
    }
  });
});
