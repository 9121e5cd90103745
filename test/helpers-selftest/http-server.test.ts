import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bigBody, delay, headRefused, redirect, status } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { nodeRequest } from '../helpers/node-client.js';

let server: TestHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startHttpServer', () => {
  it('listens on 127.0.0.1 and records every request with its headers', async () => {
    server = await startHttpServer(headRefused());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);

    const head = await nodeRequest(`${server.url}/health`, {
      method: 'HEAD',
      headers: { 'user-agent': 'squirrel-test/1' },
    });
    const get = await nodeRequest(`${server.url}/health?x=1`);

    expect(head.status).toBe(405);
    expect(get).toMatchObject({ status: 200, body: 'ok\n' });
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      ['HEAD', '/health'],
      ['GET', '/health?x=1'],
    ]);
    expect(server.requests[0]?.headers['user-agent']).toBe('squirrel-test/1');
  });

  it('close() returns promptly with a connection open and a response pending', async () => {
    server = await startHttpServer(delay(60_000));
    const pending = nodeRequest(server.url, { timeoutMs: 10_000 });
    const idle = connect(server.port, '127.0.0.1');
    idle.on('error', () => {});
    await expect.poll(() => server?.requests.length).toBe(1);

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
    idle.destroy();
  });

  it('close() can be called twice', async () => {
    server = await startHttpServer(status(200));
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });
});

describe('handlers', () => {
  it('status(code) answers with that code', async () => {
    server = await startHttpServer(status(503));
    expect(await nodeRequest(server.url)).toMatchObject({ status: 503, body: '503\n' });
  });

  it('headRefused(code) refuses HEAD with the given code only', async () => {
    server = await startHttpServer(headRefused(501));
    expect((await nodeRequest(server.url, { method: 'HEAD' })).status).toBe(501);
    expect((await nodeRequest(server.url)).status).toBe(200);
  });

  it('redirect(to, code) sends Location', async () => {
    server = await startHttpServer(redirect('/elsewhere', 301));
    const res = await nodeRequest(server.url);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/elsewhere');
  });

  it('delay(ms, then) answers with `then` after the delay', async () => {
    server = await startHttpServer(delay(50, status(204)));
    const started = Date.now();
    const res = await nodeRequest(server.url);
    expect(res.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('bigBody(bytes) sends exactly that many bytes', async () => {
    const bytes = 300 * 1024 + 7;
    server = await startHttpServer(bigBody(bytes));
    const res = await nodeRequest(server.url);
    expect(res.headers['content-length']).toBe(String(bytes));
    expect(res.body.length).toBe(bytes);
  });
});
