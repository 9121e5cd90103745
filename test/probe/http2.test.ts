import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { type H2Handler, startH2Server, type TestH2Server } from '../helpers/h2-server.js';
import { status } from '../helpers/handlers.js';
import { caCert } from '../helpers/tls.js';

const { defer, serve } = useCleanup();

function context(): ProbeContext {
  const client = new HttpClient({ ca: caCert() });
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

async function h2(opts: Parameters<typeof startH2Server>[0] = {}): Promise<TestH2Server> {
  const server = await startH2Server(opts);
  defer(server.close);
  return server;
}

/** Answers with `code`, and `location` for a redirect when given. */
function answer(code: number, location?: string): H2Handler {
  return (_req, res) => {
    res.writeHead(code, location ? { location } : {});
    res.end();
  };
}

describe('probe: HTTP/2', () => {
  it('a server that speaks only h2 (HAProxy alpn h2, gRPC gateways) is up over HTTP/2, with every timing', async () => {
    const server = await h2({ allowHTTP1: false });
    const result = await probe(site(`${server.url}/health`), context());

    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok', method: 'HEAD', httpVersion: '2' });
    expect(server.requests).toMatchObject([{ method: 'HEAD', url: '/health', httpVersion: '2.0' }]);
    expect(server.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
    expect(result.remoteAddress).toBe(`127.0.0.1:${server.port}`);
    for (const phase of ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs'] as const) {
      expect(result.timings[phase], phase).toBeGreaterThanOrEqual(0);
    }
    // No keep-alive over HTTP/2 either: the connection is closed once the check is done.
    await expect.poll(() => server.open).toBe(0);
  });

  it('a server that speaks both gets h2, offered first as curl and browsers do; an HTTP/1.1-only one gets 1.1', async () => {
    const both = await h2({ allowHTTP1: true });
    expect(await probe(site(both.url), context())).toMatchObject({ ok: true, httpVersion: '2' });
    expect(both.requests[0]?.httpVersion).toBe('2.0');

    const h1 = await serve(status(200), { tls: 'server' });
    expect(await probe(site(h1.url), context())).toMatchObject({ ok: true, httpVersion: '1.1' });
  });

  it('gives the same verdicts: a 503 retried on a fresh connection, a 404 down, a redirect followed on a new connection', async () => {
    const failing = await h2({ handler: answer(503) });
    const down = await probe(site(failing.url), context());
    expect(down).toMatchObject({
      ok: false,
      kind: 'http-status',
      status: 503,
      attempts: 2,
      httpVersion: '2',
    });
    expect(failing.connections).toBe(2);

    const missing = await h2({ handler: answer(404) });
    expect(await probe(site(missing.url), context())).toMatchObject({ ok: false, status: 404, attempts: 1 });

    const moving = await h2({
      handler: (req, res) => (req.url === '/old' ? answer(301, '/new') : answer(200))(req, res),
    });
    const moved = await probe(site(`${moving.url}/old`), context());
    expect(moved).toMatchObject({ ok: true, status: 200, redirects: 1, httpVersion: '2' });
    expect(moving.requests.map((r) => r.url)).toEqual(['/old', '/new']);
    expect(moving.connections).toBe(2);
    await expect.poll(() => moving.open).toBe(0);
  });

  it('HEAD refused with 405 is asked again with GET, whose body is not read to the end', async () => {
    const server = await h2({
      handler: (req, res) => {
        if (req.method === 'HEAD') return answer(405)(req, res);
        res.writeHead(200);
        res.write(Buffer.alloc(256 * 1024, 'a'));
        // Never ended: the verdict is reached before, and the stream is reset.
      },
    });
    const result = await probe(site(server.url, { timeoutMs: 2000 }), context());
    expect(result).toMatchObject({ ok: true, status: 200, method: 'GET', httpVersion: '2' });
    await expect.poll(() => server.open).toBe(0);
  });

  it('a stream never answered is a headers timeout within the timeout, and leaves no connection open', async () => {
    const server = await h2({ handler: () => {} });
    const started = performance.now();
    const result = await probe(site(server.url, { timeoutMs: 400, retries: 0 }), context());

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null, httpVersion: null });
    expect(result.error).toContain('headers timeout');
    expect(performance.now() - started).toBeLessThan(400 + 500);
    await expect.poll(() => server.open).toBe(0);
  });

  it('two checks of one origin at once each get their own connection and verdict', async () => {
    const server = await h2();
    const ctx = context();
    const results = await Promise.all([
      probe(site(`${server.url}/a`), ctx),
      probe(site(`${server.url}/b`), ctx),
    ]);

    expect(results).toMatchObject([
      { ok: true, httpVersion: '2' },
      { ok: true, httpVersion: '2' },
    ]);
    expect(server.connections).toBe(2);
    await expect.poll(() => server.open).toBe(0);
  });

  it('a POST with a JSON body goes over HTTP/2 with its content-type', async () => {
    const server = await h2();
    const body = { text: '{"probe":true}', contentType: 'application/json' };
    const result = await probe(site(server.url, { method: 'POST', body }), context());

    expect(result).toMatchObject({ ok: true, method: 'POST', httpVersion: '2' });
    expect(server.requests).toMatchObject([{ method: 'POST', body: '{"probe":true}' }]);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('an HTTP/1.1 request to a cleartext server that speaks only h2c says so', async () => {
    const server = await h2({ cleartext: true });
    const result = await probe(site(server.url, { retries: 0 }), context());

    expect(result).toMatchObject({ ok: false, kind: 'protocol', status: null, attempts: 1 });
    expect(result.error).toContain('HTTP/2');
    expect(result.error).toContain('h2c');
  });
});
