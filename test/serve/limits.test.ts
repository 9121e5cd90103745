/**
 * Slow and hostile clients against the status server's limits, with the timeouts shortened so that each
 * acts within a second (the real values are in SERVER_LIMITS and the README). The defaults against the
 * real daemon are in test/e2e/serve.test.ts.
 */

import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SERVER_LIMITS } from '../../src/serve/http/limits.js';
import { useCleanup } from '../helpers/cleanup.js';
import { sampleModel } from './fixtures.js';
import { useStatusServer } from './harness.js';

const FAST = {
  ...SERVER_LIMITS,
  headersTimeoutMs: 600,
  requestTimeoutMs: 1_000,
  keepAliveTimeoutMs: 500,
  idleTimeoutMs: 1_500,
  checkIntervalMs: 100,
  maxConnections: 50,
};

const start = useStatusServer();
const { defer } = useCleanup();

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
    defer(async () => {
      socket.destroy();
    });
  });
}

/** Everything the server sends until it closes the connection, or null if it is still open after `ms`. */
function untilClosed(socket: Socket, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', () => {});
    const timer = setTimeout(() => resolve(null), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('the status server under slow and hostile clients', () => {
  it('cuts off a client trickling its headers (slowloris) and answers others meanwhile', async () => {
    const service = await start(sampleModel(), { limits: FAST });
    const slow = await open(service.server.address.port);
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => slow.writable && slow.write('X-A: b\r\n'), 100);
    defer(async () => clearInterval(trickle));
    const closed = untilClosed(slow, 5_000);
    // A normal client is served while the slow one hangs on.
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
    const answer = await closed;
    expect(answer, 'the slow connection was never closed').not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a 1 MB request line with 431 from the first 8 KiB, and closes', async () => {
    const service = await start(sampleModel());
    const socket = await open(service.server.address.port);
    const closed = untilClosed(socket, 5_000);
    socket.write(`GET /${'a'.repeat(1024 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const answer = await closed;
    expect(answer, 'the connection was never closed').not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(await waitFor(async () => (await service.server.connections()) === 0, 2_000)).toBe(true);
  });

  it('answers a request target over the URL limit that fits in the headers with 414', async () => {
    const service = await start(sampleModel());
    const res = await fetch(`${service.url}/${'a'.repeat(SERVER_LIMITS.maxUrlLength)}`);
    expect(res.status).toBe(414);
  });

  it('holds no more than maxConnections, drops idle ones, and serves again once they are gone', async () => {
    const service = await start(sampleModel(), { limits: FAST });
    const { port } = service.server.address;
    const idle = await Promise.all(Array.from({ length: 300 }, () => open(port)));
    const closing = idle.map((s) => untilClosed(s, 5_000));
    expect(
      await waitFor(async () => (await service.server.connections()) <= FAST.maxConnections, 2_000),
    ).toBe(true);
    expect(await service.server.connections()).toBeGreaterThan(0);
    // Idle connections that never send a request are dropped by the headers timeout.
    const results = await Promise.all(closing);
    expect(results.filter((r) => r === null)).toHaveLength(0);
    expect(await waitFor(async () => (await service.server.connections()) === 0, 2_000)).toBe(true);
    const res = await fetch(`${service.url}/`);
    expect(res.status).toBe(200);
  });

  it('closes a connection that sends a body it will not read, after answering', async () => {
    const service = await start(sampleModel(), { limits: FAST });
    const socket = await open(service.server.address.port);
    const closed = untilClosed(socket, 5_000);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n');
    socket.write('x'.repeat(64 * 1024));
    const answer = await closed;
    expect(answer, 'the connection was never closed').not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });
});
