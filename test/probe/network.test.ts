import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import {
  closeMidResponse,
  endlessInterim,
  garbageStatusLine,
  oversizedHeaders,
  resetMidResponse,
  silent,
  trickleBody,
  trickleHeaders,
} from '../helpers/hostile.js';
import { refusedUrl } from '../helpers/ports.js';

const { defer, raw } = useCleanup();

function context(): ProbeContext {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

/** How long past its timeout a check may take: timers and teardown, never another attempt. */
const MARGIN_MS = 500;

async function timed(s: Site): Promise<{ result: Result; elapsed: number }> {
  const started = performance.now();
  const result = await probe(s, context());
  return { result, elapsed: performance.now() - started };
}

describe('probe: network failures', () => {
  it('a refused port is down with kind refused, retried once, naming the address that refused', async () => {
    const url = await refusedUrl();
    const address = new URL(url).host;
    const result = await probe(site(url), context());

    expect(result).toMatchObject({ ok: false, kind: 'refused', status: null, attempts: 2 });
    expect(result.error).toBe(`connection refused by ${address} (nothing listening on that port?)`);
    expect(result.remoteAddress).toBe(address);
    // What was measured before the failure stays: the (empty) lookup of an IP address; no connection.
    expect(result.timings).toMatchObject({ dnsMs: 0, connectMs: null, tlsMs: null, ttfbMs: null });
  });

  it('a server that accepts and never answers times out in the headers phase, within the timeout', async () => {
    const server = await raw(silent());
    const { result, elapsed } = await timed(site(server.url, { timeoutMs: 500, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null });
    expect(result.error).toContain('headers timeout');
    expect(result.error).toContain('500 ms');
    expect(result.attempts).toBe(1);
    expect(server.connections).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(500 + MARGIN_MS);
  });

  it('each attempt has its own timeout: a reset, then hangs, each retried; the whole check ends within attempts x timeout plus the pauses', async () => {
    let n = 0;
    const reset = resetMidResponse();
    const hang = silent();
    const server = await raw((socket) => (n++ === 0 ? reset(socket) : hang(socket)));
    const { result, elapsed } = await timed(site(server.url, { timeoutMs: 300, retries: 3 }));

    expect(server.connections).toBe(4);
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 4 });
    // One reset (fast), three timed-out attempts of 300 ms each, three pauses of 50 ms.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 300);
    expect(elapsed).toBeLessThan(3 * 300 + 3 * 50 + MARGIN_MS);
    expect(result.durationMs).toBeGreaterThanOrEqual(3 * 300);
    expect(result.timings.totalMs).toBeLessThan(300 + MARGIN_MS);
  });

  it('a timed-out attempt is retried like any other network failure, and a retry that answers is up', async () => {
    let n = 0;
    const hang = silent();
    const server = await raw((socket) => {
      if (n++ === 0) return hang(socket);
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    const { result } = await timed(site(server.url, { timeoutMs: 300, retries: 1 }));

    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('headers trickled a byte at a time time out in the headers phase, within the timeout', async () => {
    const server = await raw(trickleHeaders(100));
    const { result, elapsed } = await timed(site(server.url, { timeoutMs: 700, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null, attempts: 1 });
    expect(result.error).toContain('headers timeout');
    expect(elapsed).toBeLessThan(700 + MARGIN_MS);
  });

  it('endless 103 interim responses are a headers timeout, within the timeout', async () => {
    const server = await raw(endlessInterim(103, 50));
    const { result, elapsed } = await timed(site(server.url, { timeoutMs: 600, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null, attempts: 1 });
    expect(result.error).toContain('headers timeout');
    expect(elapsed).toBeLessThan(600 + MARGIN_MS);
  });

  it('a body trickled to a GET times out in the body phase, within the timeout', async () => {
    const server = await raw(trickleBody(50));
    const { result, elapsed } = await timed(site(server.url, { method: 'GET', timeoutMs: 600, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'timeout', method: 'GET', attempts: 1 });
    expect(result.error).toContain('body timeout');
    expect(result.timings.ttfbMs).not.toBeNull();
    expect(elapsed).toBeLessThan(600 + MARGIN_MS);
  });

  it('a HEAD to the same trickling server is up: a HEAD response has no body to wait for', async () => {
    const server = await raw(trickleBody(50));
    const { result } = await timed(site(server.url, { timeoutMs: 600 }));
    expect(result).toMatchObject({ ok: true, status: 200, method: 'HEAD' });
  });

  it('a connection reset mid-response is down with kind reset, retried on a new connection', async () => {
    const server = await raw(resetMidResponse());
    const result = await probe(site(server.url), context());

    expect(result).toMatchObject({ ok: false, kind: 'reset', status: null, attempts: 2 });
    expect(result.error).toContain('closed');
    expect(server.connections).toBe(2);
  });

  it('a connection closed mid-response is down with kind reset', async () => {
    const server = await raw(closeMidResponse());
    const result = await probe(site(server.url), context());

    expect(result).toMatchObject({ ok: false, kind: 'reset', status: null, attempts: 2 });
    expect(server.connections).toBe(2);
  });

  it('a garbage status line is down with kind protocol', async () => {
    const server = await raw(garbageStatusLine());
    const result = await probe(site(server.url, { retries: 0 }), context());

    expect(result).toMatchObject({ ok: false, kind: 'protocol', status: null, attempts: 1 });
    expect(result.error).toContain('invalid HTTP response');
  });

  it('a 60 KiB header block (cookies, CSP, link headers) is up, as browsers load it', async () => {
    const server = await raw(oversizedHeaders(60 * 1024));
    const { result } = await timed(site(server.url, { retries: 0 }));
    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok' });
  });

  it('a header block over 256 KiB is down with kind protocol, naming the limit, without waiting for the timeout', async () => {
    const server = await raw(oversizedHeaders(300 * 1024));
    const { result, elapsed } = await timed(site(server.url, { retries: 0, timeoutMs: 5000 }));

    expect(result).toMatchObject({ ok: false, kind: 'protocol', status: null });
    expect(result.error).toBe(
      'the response headers are too large (over 256 KiB, the most a browser accepts)',
    );
    expect(elapsed).toBeLessThan(2000);
  });

  it('a TLS handshake that never comes times out in the TLS phase', async () => {
    const server = await raw(silent());
    const { result, elapsed } = await timed(
      site(`https://127.0.0.1:${server.port}/`, { timeoutMs: 500, retries: 0 }),
    );

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null, attempts: 1 });
    expect(result.error).toContain('TLS handshake');
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(elapsed).toBeLessThan(500 + MARGIN_MS);
  });

  it('a retry after a 503 uses a fresh connection even when the server offers keep-alive', async () => {
    const server = await raw((socket) => {
      socket.on('data', () => {
        socket.write(
          'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n',
        );
      });
    });
    const result = await probe(site(server.url), context());

    expect(result).toMatchObject({ ok: false, status: 503, attempts: 2 });
    expect(server.connections).toBe(2);
  });
});

describe('probe: abort', () => {
  it('an abort while waiting for an answer rejects with US_ERR_ABORTED and closes the connection', async () => {
    const open = new Set<Socket>();
    const hang = silent();
    const server = await raw((socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      hang(socket);
    });
    const controller = new AbortController();
    const pending = probe(site(server.url, { timeoutMs: 10_000 }), {
      ...context(),
      signal: controller.signal,
    });
    await expect.poll(() => server.connections).toBe(1);
    controller.abort();

    await expect(pending).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
    await expect.poll(() => open.size, { timeout: 1000 }).toBe(0);
  });

  it('an abort during the pause before a retry rejects at once, without the retry', async () => {
    let requests = 0;
    let closed = 0;
    const server = await raw((socket) => {
      socket.once('close', () => {
        closed += 1;
      });
      socket.on('data', () => {
        requests += 1;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      });
    });
    const controller = new AbortController();
    const pending = probe(site(server.url), { ...context(), retryDelayMs: 5000, signal: controller.signal });
    // The client closes its end once it has read the 503: from then on it is in the pause.
    await expect.poll(() => [requests, closed]).toEqual([1, 1]);
    const started = performance.now();
    controller.abort();

    await expect(pending).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
    expect(performance.now() - started).toBeLessThan(200);
    expect(requests).toBe(1);
  });

  it('an already aborted signal rejects without connecting', async () => {
    const server = await raw(silent());
    const controller = new AbortController();
    controller.abort();
    await expect(probe(site(server.url), { ...context(), signal: controller.signal })).rejects.toMatchObject({
      code: 'US_ERR_ABORTED',
    });
    // Not even started: a connection attempt would hold a socket of this process from its first moment.
    expect(process.getActiveResourcesInfo()).not.toContain('TCPSocketWrap');
    expect(server.connections).toBe(0);
  });
});
