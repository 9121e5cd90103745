import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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
import { nodeRequest } from '../helpers/node-client.js';
import { startRawServer, type TestRawServer } from '../helpers/raw-server.js';

let server: TestRawServer | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  server = undefined;
});

const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** A raw client that sends a request and collects everything it gets back. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  const state = { received: '', ended: false, error: undefined as Error | undefined };
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    state.received += text;
  });
  socket.on('end', () => {
    state.ended = true;
  });
  socket.on('error', (error) => {
    state.error = error;
  });
  socket.write(REQUEST);
  return state;
}

describe('startRawServer', () => {
  it('counts connections and close() returns promptly with silent connections open', async () => {
    server = await startRawServer(silent());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const pending = nodeRequest(server.url, { timeoutMs: 10_000 });
    rawClient(server.port);
    await expect.poll(() => server?.connections).toBe(2);

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('hostile behaviours', () => {
  it('silent() never answers', async () => {
    server = await startRawServer(silent());
    await expect(nodeRequest(server.url, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'CLIENT_TIMEOUT',
    });
  });

  it('trickleHeaders() sends a status line then header bytes, never ending the head', async () => {
    server = await startRawServer(trickleHeaders(20));
    const client = rawClient(server.port);
    await expect.poll(() => client.received.length).toBeGreaterThan('HTTP/1.1 200 OK\r\nX-Tri'.length);
    expect(client.received.startsWith('HTTP/1.1 200 OK\r\nX-Tri')).toBe(true);
    expect(client.received).not.toContain('\r\n\r\n');
    expect(client.ended).toBe(false);
  });

  it('resetMidResponse() makes a node client fail with ECONNRESET', async () => {
    server = await startRawServer(resetMidResponse());
    await expect(nodeRequest(server.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('closeMidResponse() sends part of a head then a clean end', async () => {
    server = await startRawServer(closeMidResponse());
    const client = rawClient(server.port);
    await expect.poll(() => client.ended).toBe(true);
    expect(client.received).toBe('HTTP/1.1 200 OK\r\nContent-Ty');
    expect(client.error).toBeUndefined();
  });

  it('garbageStatusLine() is rejected by the node parser', async () => {
    server = await startRawServer(garbageStatusLine());
    await expect(nodeRequest(server.url)).rejects.toMatchObject({ code: 'HPE_INVALID_CONSTANT' });
  });

  it('oversizedHeaders() overflows the default node header limit', async () => {
    server = await startRawServer(oversizedHeaders());
    await expect(nodeRequest(server.url)).rejects.toMatchObject({ code: 'HPE_HEADER_OVERFLOW' });
  });

  it('endlessInterim() keeps sending 103 and never a final response', async () => {
    server = await startRawServer(endlessInterim(103, 20));
    const seen: number[] = [];
    await expect(
      nodeRequest(server.url, { timeoutMs: 300, onInformation: (code) => seen.push(code) }),
    ).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT' });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set([103]));
  });

  it('trickleBody() sends a complete head then the body byte by byte', async () => {
    server = await startRawServer(trickleBody(20));
    const client = rawClient(server.port);
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n';
    await expect.poll(() => client.received.length).toBeGreaterThan(head.length + 3);
    expect(client.received.startsWith(`${head}aaa`)).toBe(true);
    expect(client.received.length).toBeLessThan(head.length + 1000);
  });
});
