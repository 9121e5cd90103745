import { describe, expect, it } from 'vitest';
import { USER_AGENT, VERSION } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { createRedactor } from '../../src/util/redact.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { bigBody, headRefused, redirect, status } from '../helpers/handlers.js';
import type { Handler } from '../helpers/http-server.js';

const { defer, serve } = useCleanup();

function context(extra: Partial<ProbeContext> = {}): ProbeContext {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50, ...extra };
}

/** Answers the n-th request (from 0) with codes[n], the last code from then on. */
function sequence(...codes: number[]): Handler {
  let n = 0;
  return (req, res) => {
    const code = codes[Math.min(n++, codes.length - 1)] ?? 200;
    status(code)(req, res);
  };
}

describe('probe: HTTP status', () => {
  it('a 200 answer to HEAD is up, with timings for a plain-http IP literal', async () => {
    const server = await serve(status(200));
    const before = Date.now();
    const result = await probe(site(`${server.url}/health`, { name: 'home' }), context());

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'HEAD', url: '/health' });
    expect(result).toMatchObject({
      url: `${server.url}/health`,
      name: 'home',
      ok: true,
      status: 200,
      method: 'HEAD',
      kind: 'ok',
      error: null,
      attempts: 1,
      redirects: 0,
    });
    const { timings } = result;
    expect(timings.dnsMs).toBe(0);
    expect(timings.tlsMs).toBeNull();
    expect(timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(timings.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(timings.totalMs).toBeGreaterThanOrEqual(timings.ttfbMs ?? Number.POSITIVE_INFINITY);
    expect(result.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(result.checkedAt)).toBeGreaterThanOrEqual(before - 1);
  });

  it('a 404 is down (http-status) and is not retried', async () => {
    const server = await serve(status(404));
    const result = await probe(site(server.url), context());

    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, status: 404, kind: 'http-status', attempts: 1 });
    expect(result.error).toContain('404');
    expect(result.error).toContain('200-399');
  });

  it('a 500 is down and retried once on a fresh request', async () => {
    const server = await serve(status(500));
    const result = await probe(site(server.url), context());

    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    expect(result).toMatchObject({ ok: false, status: 500, kind: 'http-status', attempts: 2 });
  });

  it('a 503 is retried: the server sees 2 requests and attempts is 2', async () => {
    const server = await serve(status(503));
    const result = await probe(site(server.url), context());

    expect(server.requests).toHaveLength(2);
    expect(result).toMatchObject({ ok: false, status: 503, kind: 'http-status', attempts: 2 });
    expect(result.error).toContain('503');
  });

  it('retries as many times as `retries` says, and not at all with retries 0', async () => {
    const three = await serve(status(503));
    expect(await probe(site(three.url, { retries: 3 }), context())).toMatchObject({ attempts: 4 });
    expect(three.requests).toHaveLength(4);

    const none = await serve(status(503));
    expect(await probe(site(none.url, { retries: 0 }), context())).toMatchObject({ attempts: 1 });
    expect(none.requests).toHaveLength(1);
  });

  it('waits retryDelayMs between attempts', async () => {
    const arrivals: number[] = [];
    const server = await serve((req, res) => {
      arrivals.push(performance.now());
      status(503)(req, res);
    });
    await probe(site(server.url), context({ retryDelayMs: 300 }));
    expect(arrivals).toHaveLength(2);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('a 503 then a 200 is up after the retry, with attempts 2', async () => {
    const server = await serve(sequence(503, 200));
    const result = await probe(site(server.url), context());

    expect(server.requests).toHaveLength(2);
    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok', error: null, attempts: 2 });
  });

  it.each([405, 501])(
    'HEAD refused with %i is asked again with GET, reported as method GET',
    async (code) => {
      const server = await serve(headRefused(code));
      const result = await probe(site(server.url), context());

      expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
      expect(result).toMatchObject({ ok: true, status: 200, method: 'GET', kind: 'ok', attempts: 1 });
    },
  );

  it('a GET fallback that fails says so, and reports the GET status', async () => {
    const server = await serve((req, res) => status(req.method === 'HEAD' ? 405 : 404)(req, res));
    const result = await probe(site(server.url), context());

    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(result).toMatchObject({ ok: false, status: 404, method: 'GET', kind: 'http-status' });
    expect(result.error).toContain('GET after HEAD');
  });

  it('method GET is sent as GET; a large body is capped, not read to the end', async () => {
    let finished = false;
    let closed = false;
    const huge = bigBody(256 * 1024 * 1024);
    const server = await serve((req, res) => {
      res.once('finish', () => {
        finished = true;
      });
      res.once('close', () => {
        closed = true;
      });
      huge(req, res);
    });
    const result = await probe(site(server.url, { method: 'GET' }), context());

    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
    expect(result).toMatchObject({ ok: true, status: 200, method: 'GET' });
    // The response ends one way or the other: the client went away (closed), or read all 256 MiB (finished).
    await expect.poll(() => closed, { timeout: 5000 }).toBe(true);
    expect(finished).toBe(false);
  });

  it('expectStatus decides what is up: [404] makes a 404 up and a 200 down', async () => {
    const missing = await serve(status(404));
    const up = await probe(site(missing.url, { expectStatus: [{ min: 404, max: 404 }] }), context());
    expect(up).toMatchObject({ ok: true, status: 404, kind: 'ok', error: null });

    const fine = await serve(status(200));
    const down = await probe(site(fine.url, { expectStatus: [{ min: 404, max: 404 }] }), context());
    expect(down).toMatchObject({ ok: false, status: 200, kind: 'http-status' });
    expect(down.error).toContain('expected 404');
  });
});

describe('probe: what the server receives', () => {
  it('sends the User-Agent uptime-squirrel/<version>', async () => {
    const server = await serve(status(200));
    await probe(site(server.url), context());

    expect(USER_AGENT).toBe(`uptime-squirrel/${VERSION}`);
    expect(server.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('sends URL credentials as Basic auth and redacts them in the result', async () => {
    const server = await serve(status(200));
    const port = server.port;
    const result = await probe(site(`http://alice:s%40fe-pw@127.0.0.1:${port}/private`), context());

    const expected = `Basic ${Buffer.from('alice:s@fe-pw').toString('base64')}`;
    expect(server.requests[0]?.headers.authorization).toBe(expected);
    expect(result.ok).toBe(true);
    expect(result.url).toBe(`http://***@127.0.0.1:${port}/private`);
    expect(JSON.stringify(result)).not.toMatch(/alice|s%40fe-pw|s@fe-pw/);
  });

  it('redacts secret-looking query values in the result URL but sends them to the server', async () => {
    const server = await serve(status(200));
    const result = await probe(site(`${server.url}/hook?api_key=abc123&page=2`), context());

    expect(server.requests[0]?.url).toBe('/hook?api_key=abc123&page=2');
    expect(result.url).toBe(`${server.url}/hook?api_key=***&page=2`);
  });

  it('sends the configured headers; an Authorization header wins over URL credentials', async () => {
    const server = await serve(status(200));
    const headers = { 'X-Probe': 'yes', Authorization: 'Bearer from-config' };
    await probe(site(`http://bob:pw@127.0.0.1:${server.port}/`, { headers }), context());

    expect(server.requests[0]?.headers['x-probe']).toBe('yes');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer from-config');
  });

  it('never shows a secret header value in the result, even when the server reflects it', async () => {
    const secret = 'tok-9f8e7d6c5b4a';
    // The server echoes the token into a redirect that loops, so the error message would name it.
    const server = await serve((req, res) => redirect(`/again?echo=${secret}`)(req, res));
    const result = await probe(
      site(`${server.url}/start/${secret}`, { headers: { 'X-Api': secret } }),
      context({ redact: createRedactor([secret]) }),
    );

    expect(server.requests[0]?.headers['x-api']).toBe(secret);
    expect(server.requests[0]?.url).toBe(`/start/${secret}`);
    expect(result.kind).toBe('redirect-loop');
    expect(result.error).toContain('/again?echo=***');
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
