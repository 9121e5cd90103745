import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkConnectivity } from '../../src/watch/connectivity.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { refusedUrl } from '../helpers/ports.js';

let server: TestHttpServer;
beforeEach(async () => {
  server = await startHttpServer((req, res) => res.writeHead(req.url === '/error' ? 503 : 200).end());
});
afterEach(async () => {
  await server.close();
});

const ctx = { userAgent: 'test', secrets: [], retryDelayMs: 1 };

describe('checkConnectivity', () => {
  it('asks every target with HEAD; any HTTP status, 503 included, proves the network works', async () => {
    const outcome = await checkConnectivity([await refusedUrl(), `${server.url}/error`], ctx);
    expect(outcome.answered).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.method === 'HEAD' && r.url === '/error')).toBe(true);
    expect(outcome.summary).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/: refused: .*; http:\/\/127\.0\.0\.1:\d+\/error: answered 503$/,
    );
  });

  it('none answering: not answered, with each failure for the log', async () => {
    const outcome = await checkConnectivity([await refusedUrl(), await refusedUrl()], ctx);
    expect(outcome.answered).toBe(false);
    expect(outcome.summary.split('; ')).toHaveLength(2);
  });

  it('stops with the abort error when the sweep is stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      checkConnectivity([`${server.url}/`], { ...ctx, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'US_ERR_ABORTED',
    });
  });
});
