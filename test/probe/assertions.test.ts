/** The probe's `expect` assertions against real servers: headers, bodies in every encoding, JSON, slowness. */

import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Expect } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { delay } from '../helpers/handlers.js';
import type { Handler } from '../helpers/http-server.js';

const { defer, serve } = useCleanup();

function context() {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 10 };
}

/** A 200 with this body and these headers. */
function body(content: string | Buffer, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(content);
  };
}

async function check(handler: Handler, expectations: Expect, extra: Parameters<typeof site>[1] = {}) {
  const server = await serve(handler);
  const result = await probe(
    site(`${server.url}/`, { retries: 0, expect: expectations, ...extra }),
    context(),
  );
  return { result, server };
}

describe('probe: body assertions', () => {
  it('a body assertion makes the check a GET that offers gzip, deflate and br, and reports what ran', async () => {
    const { result, server } = await check(body('<h1>Welcome home</h1>'), { bodyContains: ['Welcome'] });
    expect(result).toMatchObject({ ok: true, kind: 'ok', method: 'GET', status: 200 });
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(result.assertions).toEqual([{ assertion: 'body contains "Welcome"', passed: true }]);
  });

  it('a missing text is down with kind assertion, naming it and the start of what came, one line', async () => {
    const page = `<html><title>Maintenance</title>\r\n\u0000${'x'.repeat(1150)}`;
    const { result } = await check(body(page), { bodyContains: ['Welcome'] });
    expect(result).toMatchObject({ ok: false, kind: 'assertion', status: 200, attempts: 1 });
    expect(result.error).toBe(
      `body does not contain "Welcome" (got ${Buffer.byteLength(page).toLocaleString('en-US')} bytes starting "<html><title>Maintenance</title> ${'x'.repeat(27)}…")`,
    );
    expect(result.assertions).toEqual([
      { assertion: 'body contains "Welcome"', passed: false, message: result.error },
    ]);
  });

  it('bodyNotContains fails where the text is, and every failure is counted', async () => {
    const { result } = await check(body('all good\nbut Error: disk full'), {
      bodyNotContains: ['Error'],
      bodyContains: ['Welcome'],
    });
    expect(result.kind).toBe('assertion');
    expect(result.error).toMatch(/^body does not contain "Welcome" .*\(and 1 more failed assertion\)$/);
    expect(result.assertions?.[1]).toEqual({
      assertion: 'body does not contain "Error"',
      passed: false,
      message: 'body contains "Error" at character 13 ("all good but Error: disk full")',
    });
  });

  it('bodyMatches runs RE2 syntax, case-insensitive with (?i)', async () => {
    const ok = await check(body('Version: 2.14.1'), { bodyMatches: '(?i)^version: 2\\.\\d+' });
    expect(ok.result.ok).toBe(true);
    const bad = await check(body('Version: 1.0'), { bodyMatches: '2\\.\\d+' });
    expect(bad.result.error).toBe('body does not match /2\\.\\d+/ (got 12 bytes starting "Version: 1.0")');
  });

  it('decodes gzip, br, zlib and raw deflate bodies and the charset (latin-1)', async () => {
    const text = 'Bienvenue au café';
    const cases: Array<[string, Buffer]> = [
      ['gzip', zlib.gzipSync(text)],
      ['br', zlib.brotliCompressSync(text)],
      ['deflate', zlib.deflateSync(text)],
      ['deflate', zlib.deflateRawSync(text)],
    ];
    for (const [encoding, content] of cases) {
      const { result } = await check(body(content, { 'content-encoding': encoding }), {
        bodyContains: ['café'],
      });
      expect(result, encoding).toMatchObject({ ok: true, kind: 'ok' });
    }
    const latin1 = Buffer.from(text, 'latin1');
    const { result } = await check(body(latin1, { 'content-type': 'text/plain; charset=ISO-8859-1' }), {
      bodyContains: ['café'],
    });
    expect(result.ok).toBe(true);
  });

  it('an encoding it cannot decode, or a corrupt gzip body, is a failure that says so', async () => {
    const zstd = await check(body('abc', { 'content-encoding': 'zstd' }), { bodyContains: ['abc'] });
    expect(zstd.result.error).toMatch(
      /^the body is encoded with "zstd", which uptime-squirrel cannot decode/,
    );
    const corrupt = await check(body(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), {
      bodyContains: ['abc'],
    });
    expect(corrupt.result).toMatchObject({ ok: false, kind: 'assertion' });
    expect(corrupt.result.error).toMatch(/^the body could not be decompressed \(gzip\): /);
  });
});

describe('probe: JSON and header assertions', () => {
  const health = JSON.stringify({ status: 'degraded', version: '2.3.1', checks: [{ name: 'db', ok: true }] });
  const json = body(health, { 'content-type': 'application/json' });

  it('JMESPath values: equal, matching, existing; the failure says what was found', async () => {
    const { result } = await check(json, {
      json: {
        '$.status': { equals: 'ok' },
        version: { matches: '^2\\.' },
        "checks[?name=='db'].ok | [0]": { equals: true },
        error: { exists: false },
        'missing.path': { exists: true },
      },
    });
    expect(result.kind).toBe('assertion');
    expect(result.error).toBe('$.status is "degraded", expected "ok" (and 1 more failed assertion)');
    expect(result.assertions).toEqual([
      { assertion: '$.status is "ok"', passed: false, message: '$.status is "degraded", expected "ok"' },
      { assertion: 'version matches /^2\\./', passed: true },
      { assertion: "checks[?name=='db'].ok | [0] is true", passed: true },
      { assertion: 'error is absent', passed: true },
      {
        assertion: 'missing.path exists',
        passed: false,
        message: 'missing.path is missing, expected it to exist',
      },
    ]);
  });

  it('a body that is not JSON says so with its content type', async () => {
    const { result } = await check(body('<html>'), { json: { '$.status': { equals: 'ok' } } });
    expect(result.error).toBe('response is not JSON (text/html)');
  });

  it('headers: a value, a pattern, presence; HEAD stays HEAD for header-only assertions', async () => {
    const { result, server } = await check(json, {
      headers: {
        'content-type': { equals: 'application/json' },
        'x-missing': { matches: 'x' },
      },
    });
    expect(server.requests[0]?.method).toBe('HEAD');
    expect(result.method).toBe('HEAD');
    expect(result.error).toBe('header x-missing is missing, expected a string matching /x/');
    expect(result.assertions?.[0]).toEqual({
      assertion: 'header content-type is "application/json"',
      passed: true,
    });
  });
});

describe('probe: slow responses are degraded, not down', () => {
  it('a response over maxResponseMs is up and degraded; a quick one is not', async () => {
    const slow = await check(delay(150), { maxResponseMs: 50 });
    expect(slow.result).toMatchObject({ ok: true, kind: 'ok', degraded: true });
    expect(slow.result.assertions?.[0]).toMatchObject({ assertion: 'response within 50 ms', passed: false });
    expect(slow.result.assertions?.[0]?.message).toMatch(/^response took \d+ ms, over maxResponseMs 50 ms$/);
    const quick = await check(body('ok'), { maxResponseMs: 5000 });
    expect(quick.result).toMatchObject({ ok: true, degraded: false });
  });

  it('a site without expect has none of the new fields but tls (null on http)', async () => {
    const server = await serve(body('ok'));
    const result = await probe(site(`${server.url}/`), context());
    expect(result.tls).toBeNull();
    expect(result).not.toHaveProperty('assertions');
    expect(result).not.toHaveProperty('degraded');
    expect(server.requests[0]?.headers['accept-encoding']).toBeUndefined();
  });
});
