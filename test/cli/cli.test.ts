// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { InterruptedError } from '../../src/core/errors.js';
import type { CliIO } from '../../src/core/io.js';
import { USER_AGENT, VERSION } from '../../src/core/version.js';
import { useCleanup } from '../helpers/cleanup.js';
import { redirect, status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { refusedUrl } from '../helpers/ports.js';
import { tempDir } from '../helpers/processes.js';
import { startRawServer, type TestRawServer } from '../helpers/raw-server.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point.
const ANSI = /\x1b\[/;

const { defer, serve, config } = useCleanup();

async function hang(): Promise<TestRawServer> {
  const server = await startRawServer(silent());
  defer(server.close);
  return server;
}

interface FakeIo extends CliIO {
  out: () => string;
  err: () => string;
}

function fakeIo(opts: { env?: NodeJS.ProcessEnv; tty?: boolean; signal?: AbortSignal } = {}): FakeIo {
  let out = '';
  let err = '';
  return {
    stdout: {
      write: (text: string) => {
        out += text;
      },
      isTTY: opts.tty ?? false,
    },
    stderr: {
      write: (text: string) => {
        err += text;
      },
      isTTY: opts.tty ?? false,
    },
    env: opts.env ?? {},
    signal: opts.signal,
    out: () => out,
    err: () => err,
  };
}

async function run(argv: string[], io = fakeIo()): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await main(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('check: exit codes and output', () => {
  it('exits 0 with every site up and prints a table', async () => {
    const a = await serve(status(200));
    const b = await serve(status(204));
    const file = await config({
      sites: [
        { url: a.url, name: 'alpha' },
        { url: b.url, name: 'bravo' },
      ],
    });
    const { code, stdout, stderr } = await run(['check', file]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^UP\s+alpha/m);
    expect(stdout).toMatch(/^UP\s+bravo/m);
    expect(stdout).toContain('2 sites: 2 up, 0 down');
    expect(stderr).toBe('');
    expect(a.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
    expect(b.requests).toHaveLength(1);
  });

  it('exits 1 when any site is down and lists it first', async () => {
    const up = await serve(status(200));
    const missing = await serve(status(404));
    const file = await config([up.url, missing.url]);
    const { code, stdout } = await run(['check', file]);

    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE\s/);
    expect(lines[1]).toMatch(/^DOWN\s/);
    expect(lines[1]).toContain(missing.url);
    expect(lines[1]).toContain('404');
    expect(lines[2]).toMatch(/^UP\s/);
    expect(stdout).toContain('1 up, 1 down');
  });

  it('--json prints one JSON document with exactly the documented keys', async () => {
    const up = await serve(status(200));
    const refused = await refusedUrl();
    const file = await config({ sites: [{ url: refused, name: 'gone', retries: 0 }, up.url] });
    const before = Date.now();
    const { code, stdout, stderr } = await run(['check', file, '--json']);

    expect(code).toBe(1);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc).sort()).toEqual(
      ['finishedAt', 'mode', 'results', 'startedAt', 'summary', 'version'].sort(),
    );
    expect(doc.version).toBe(VERSION);
    expect(doc.mode).toBe('async');
    expect(doc.summary).toEqual({ total: 2, up: 1, down: 1 });
    for (const stamp of [doc.startedAt, doc.finishedAt]) {
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before - 1);
    }
    expect(Date.parse(doc.finishedAt)).toBeGreaterThanOrEqual(Date.parse(doc.startedAt));

    const resultKeys = [
      'attempts',
      'checkedAt',
      'durationMs',
      'error',
      'httpVersion',
      'kind',
      'method',
      'name',
      'note',
      'ok',
      'proxy',
      'redirects',
      'remoteAddress',
      'status',
      'timings',
      'tls',
      'url',
    ];
    const timingKeys = ['connectMs', 'dnsMs', 'proxyMs', 'tlsMs', 'totalMs', 'ttfbMs'];
    expect(doc.results).toHaveLength(2);
    for (const r of doc.results) {
      expect(Object.keys(r).sort()).toEqual(resultKeys);
      expect(Object.keys(r.timings).sort()).toEqual(timingKeys);
      expect(r.checkedAt).toMatch(/Z$/);
    }
    // Config order, not down-first.
    const [gone, fine] = doc.results;
    expect(gone).toMatchObject({ url: refused, name: 'gone', ok: false, status: null, kind: 'refused' });
    expect(gone.attempts).toBe(1);
    expect(typeof gone.error).toBe('string');
    expect(fine).toMatchObject({ url: up.url, name: null, ok: true, status: 200, kind: 'ok', error: null });
    expect(fine).toMatchObject({ method: 'HEAD', attempts: 1, redirects: 0 });
    expect(fine.timings.tlsMs).toBeNull();
    expect(fine).toMatchObject({
      httpVersion: '1.1',
      remoteAddress: `127.0.0.1:${up.port}`,
      proxy: null,
      note: null,
    });
    expect(gone).toMatchObject({ httpVersion: null, remoteAddress: new URL(refused).host });
  });

  it('--mode serial runs the serial strategy and says so', async () => {
    const up = await serve(status(200));
    const file = await config([up.url]);
    const { code, stdout } = await run(['check', file, '--json', '--mode', 'serial']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).mode).toBe('serial');
  });

  it('--quiet prints only the down sites and the summary', async () => {
    const up = await serve(status(200));
    const missing = await serve(status(404));
    const file = await config([up.url, missing.url]);
    const { stdout } = await run(['check', file, '--quiet']);

    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(missing.url);
    expect(stdout).not.toContain(up.url);
  });

  it('--timeout overrides the config and bounds each check', async () => {
    const server = await hang();
    const file = await config({ defaults: { timeoutMs: 20_000 }, sites: [server.url] });
    const started = performance.now();
    const { code, stdout } = await run(['check', file, '--json', '--timeout', '300ms']);

    expect(performance.now() - started).toBeLessThan(1500);
    expect(code).toBe(1);
    const [result] = JSON.parse(stdout).results;
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    expect(result.error).toContain('300 ms');
  });

  it.each(['10s', '500ms', '1000', '1.5s'])('--timeout accepts %s', async (value) => {
    const up = await serve(status(200));
    const file = await config([up.url]);
    expect((await run(['check', file, '--timeout', value])).code).toBe(0);
  });

  it('--retries overrides the config: 0 means one request to a failing server', async () => {
    const broken = await serve(status(503));
    const file = await config({ defaults: { retries: 3 }, sites: [broken.url] });
    const { code, stdout } = await run(['check', file, '--json', '--retries', '0']);

    expect(code).toBe(1);
    expect(broken.requests).toHaveLength(1);
    expect(JSON.parse(stdout).results[0]).toMatchObject({ status: 503, attempts: 1 });
  });

  it('a 5xx is retried once by default', async () => {
    const broken = await serve(status(503));
    const file = await config([broken.url]);
    const { stdout } = await run(['check', file, '--json', '--concurrency', '1']);

    expect(broken.requests).toHaveLength(2);
    expect(JSON.parse(stdout).results[0]).toMatchObject({ status: 503, attempts: 2 });
  });

  it('never prints a ${VAR} header secret, in the table or the JSON', async () => {
    const secret = 'sk-live-0123456789abcdef';
    // The server reflects the token into a looping redirect, so the error message would carry it.
    const server = await serve((req, res) => redirect(`/loop?echo=${req.headers['x-api-key']}`)(req, res));
    const file = await config({
      sites: [{ url: server.url, headers: { 'X-Api-Key': '${API_KEY}' } }],
    });
    const env = { API_KEY: secret };
    const table = await run(['check', file], fakeIo({ env }));
    const json = await run(['check', file, '--json'], fakeIo({ env }));

    expect(server.requests[0]?.headers['x-api-key']).toBe(secret);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('redirect-loop');
    expect(JSON.parse(json.stdout).results[0].error).toContain('echo=***');
    for (const output of [table.stdout, table.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('check: colour and progress', () => {
  it('colours a terminal, and not with --no-color, NO_COLOR or a pipe', async () => {
    const up = await serve(status(200));
    const file = await config([up.url]);

    expect((await run(['check', file], fakeIo({ tty: true }))).stdout).toMatch(ANSI);
    expect((await run(['check', file, '--no-color'], fakeIo({ tty: true }))).stdout).not.toMatch(ANSI);
    expect((await run(['check', file], fakeIo({ tty: true, env: { NO_COLOR: '1' } }))).stdout).not.toMatch(
      ANSI,
    );
    expect((await run(['check', file], fakeIo({ tty: false }))).stdout).not.toMatch(ANSI);
    expect((await run(['check', file], fakeIo({ env: { FORCE_COLOR: '1' } }))).stdout).toMatch(ANSI);
  });

  it('draws progress only on a terminal stderr', async () => {
    const up = await serve(status(200));
    const file = await config([up.url]);

    expect((await run(['check', file, '--json'], fakeIo({ tty: false }))).stderr).toBe('');
    expect((await run(['check', file], fakeIo({ tty: true }))).stderr).toContain('\x1b[K');
  });
});

describe('check: abort', () => {
  it('an aborted signal stops the sweep: what finished is printed, the rest unchecked, exit 130', async () => {
    const server = await hang();
    const up = await serve(status(200));
    const file = await config({ sites: [up.url, { url: server.url, timeoutMs: 20_000 }] });
    const controller = new AbortController();
    const io = fakeIo({ signal: controller.signal });
    const pending = run(['check', file, '--json'], io);
    await expect.poll(() => server.connections).toBe(1);
    await expect.poll(() => up.requests.length).toBe(1);
    const started = performance.now();
    controller.abort();
    const { code, stdout, stderr } = await pending;

    expect(performance.now() - started).toBeLessThan(500);
    // No signal named (an abort of this process's own): the code of an interruption all the same.
    expect(code).toBe(130);
    const doc = JSON.parse(stdout);
    expect(doc.summary).toEqual({ total: 2, up: 1, down: 0, unchecked: 1 });
    expect(doc.results[1]).toMatchObject({ ok: null, kind: 'unchecked', error: 'not checked: interrupted' });
    expect(stderr).toContain('interrupted: 1 of 2 checked, 1 unchecked');
  });

  it('the signal named in the abort gives the exit code: 143 for SIGTERM', async () => {
    const server = await hang();
    const file = await config({ sites: [{ url: server.url, timeoutMs: 20_000 }] });
    const controller = new AbortController();
    const pending = run(['check', file], fakeIo({ signal: controller.signal }));
    await expect.poll(() => server.connections).toBe(1);
    controller.abort(new InterruptedError('SIGTERM'));
    const { code, stdout, stderr } = await pending;

    expect(code).toBe(143);
    expect(stdout).toMatch(/^UNCHECKED\s.*not checked: interrupted\s+by SIGTERM$/m);
    expect(stderr).toContain('interrupted by SIGTERM: stopping and printing what finished');
  });

  it('bench stopped by SIGTERM exits 143, before running anything', async () => {
    const server = await serve(status(200));
    const file = await config([server.url]);
    const controller = new AbortController();
    controller.abort(new InterruptedError('SIGTERM'));
    const io = fakeIo({ signal: controller.signal });
    const { code, stderr } = await run(['bench', file, '--modes', 'async'], io);
    expect(code).toBe(143);
    expect(stderr).toContain('interrupted by SIGTERM: stopped before it finished');
    expect(server.requests).toHaveLength(0);
  });
});

describe('usage errors exit 2 and name the problem', () => {
  it.each([
    [['--concurrency', '0'], '--concurrency'],
    [['--concurrency', 'many'], '--concurrency'],
    [['--mode', 'bogus'], '--mode'],
    [['--timeout', '-1'], '--timeout'],
    [['--timeout', '10x'], '--timeout'],
    [['--timeout', '0'], '--timeout'],
    [['--retries', '11'], '--retries'],
    [['--retries', '-1'], '--retries'],
    [['--bogus-flag'], '--bogus-flag'],
  ])('check %j', async (args, option) => {
    const server = await serve(status(200));
    const file = await config([server.url]);
    const { code, stdout, stderr } = await run(['check', file, ...args]);

    expect(code).toBe(2);
    expect(stderr).toContain(option);
    expect(stdout).toBe('');
    expect(server.requests).toHaveLength(0);
  });

  it('no arguments prints help and exits 2', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage');
  });

  it('an unknown command exits 2', async () => {
    const { code, stderr } = await run(['chek', 'sites.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('chek');
  });

  it('check without a file exits 2', async () => {
    const { code, stderr } = await run(['check']);
    expect(code).toBe(2);
    expect(stderr).toContain('sites.json');
  });

  it('a file that does not exist exits 2, naming it', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const missing = `${dir.path}/nope.json`;
    const { code, stdout, stderr } = await run(['check', missing]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(missing);
    expect(stderr).toContain('no such file');
  });

  it('a directory instead of a file exits 2', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const { code, stderr } = await run(['check', dir.path]);
    expect(code).toBe(2);
    expect(stderr).toContain('directory');
  });

  it('an invalid config exits 2 before any check, naming the file and the path', async () => {
    const server = await serve(status(200));
    const file = await config({ sites: [server.url, { url: server.url, timeoutMs: -5 }] });
    const { code, stdout, stderr } = await run(['check', file]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(stderr).toContain('sites[1]');
    expect(server.requests).toHaveLength(0);
  });
});

describe('help, version, validate', () => {
  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('check');
    expect(stdout).toContain('validate');
  });

  it('check --help exits 0 and lists the options', async () => {
    const { code, stdout } = await run(['check', '--help']);
    expect(code).toBe(0);
    for (const option of ['--json', '--timeout', '--retries', '--concurrency', '--quiet', '--no-color']) {
      expect(stdout).toContain(option);
    }
  });

  it.each(['check', 'watch', 'bench'])(
    '%s --help says the command line overrides the config everywhere, and --timeout is per attempt',
    async (command) => {
      const { code, stdout } = await run([command, '--help']);
      expect(code).toBe(0);
      const words = stdout.replace(/\s+/g, ' ');
      expect(words).toContain(
        "Options given on the command line override the config everywhere they apply: its defaults and every site's own values alike. --timeout is the time for each attempt of a check",
      );
      expect(words).toMatch(
        /--timeout <duration> time allowed for each attempt of a check .* overrides the config's defaults and every site's own timeoutMs/,
      );
      expect(words).toMatch(/--retries <n> .* overrides the config's defaults and every site's own retries/);
      // No line of the help is wider than a terminal's 80 columns.
      expect(stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    },
  );

  it('validate and report --help do not claim it: they take no check options', async () => {
    for (const command of ['validate', 'report']) {
      expect((await run([command, '--help'])).stdout).not.toContain('override the config');
    }
  });

  it('--version prints the package version and exits 0', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });

  it('validate exits 0 for a valid file and 2 for an invalid one', async () => {
    const good = await config(['https://example.com', 'https://example.org/health']);
    const ok = await run(['validate', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 sites');

    const bad = await config({ sites: ['ftp://example.com', { url: 'https://x.example', retries: 'x' }] });
    const failed = await run(['validate', bad]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('sites[0]');
    expect(failed.stderr).toContain('sites[1]');
  });
});
