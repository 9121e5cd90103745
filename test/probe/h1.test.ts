/**
 * The probe's own HTTP/1.1 reader (src/probe/h1.ts) against raw servers that send responses the way
 * real ones do and worse: split at every byte, chunked, close-delimited, interim responses first.
 */

import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';

const { defer, raw } = useCleanup();

function context() {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 10 };
}

/** Once the request head is in, writes `parts` one per 5 ms, then closes (FIN) unless `keepOpen`. */
function sends(parts: string[], keepOpen = false): (socket: Socket) => void {
  return (socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      let i = 0;
      const next = () => {
        if (socket.destroyed) return;
        if (i < parts.length) {
          socket.write(parts[i++] as string);
          setTimeout(next, 5);
        } else if (!keepOpen) socket.end();
      };
      next();
    });
  };
}

/** Every byte of `text` as a part of its own. */
const bytes = (text: string) => [...text];

describe('probe: the HTTP/1.1 reader', () => {
  it('a response split at every byte, with a chunked body split across chunks, is read whole', async () => {
    const body = '5\r\nhello\r\n7; ext=1\r\n, world\r\n0\r\nx-trailer: yes\r\n\r\n';
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n';
    const server = await raw(sends(bytes(head + body), true));
    const result = await probe(
      site(server.url, { retries: 0, timeoutMs: 5000, expect: { bodyContains: ['hello, world'] } }),
      context(),
    );
    expect(result).toMatchObject({ ok: true, status: 200, method: 'GET' });
    expect(result.assertions).toMatchObject([{ passed: true }]);
  });

  it('interim 100 and 103 responses are passed over; the final status is the verdict', async () => {
    const server = await raw(
      sends([
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n',
        'HTTP/1.1 204 No Content\r\n\r\n',
      ]),
    );
    const result = await probe(site(server.url, { retries: 0 }), context());
    expect(result).toMatchObject({ ok: true, status: 204, kind: 'ok' });
  });

  it('a body without a length is read until the server closes', async () => {
    const server = await raw(
      sends(['HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nup', ' and ', 'running']),
    );
    const result = await probe(
      site(server.url, { retries: 0, expect: { bodyContains: ['up and running'] } }),
      context(),
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it('a body that ends before its content-length is a reset in the body phase', async () => {
    const server = await raw(sends(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this']));
    const result = await probe(site(server.url, { retries: 0, expect: { bodyContains: ['x'] } }), context());
    expect(result).toMatchObject({ ok: false, kind: 'reset', status: null });
    expect(result.error).toContain('response body');
  });

  it('an invalid chunk size is a protocol failure', async () => {
    const server = await raw(
      sends(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'zz\r\nnope\r\n0\r\n\r\n']),
    );
    const result = await probe(site(server.url, { retries: 0, expect: { bodyContains: ['x'] } }), context());
    expect(result).toMatchObject({ ok: false, kind: 'protocol' });
    expect(result.error).toContain('invalid HTTP response');
  });

  it('two different content-lengths are a protocol failure', async () => {
    const server = await raw(sends(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab']));
    const result = await probe(site(server.url, { retries: 0 }), context());
    expect(result).toMatchObject({ ok: false, kind: 'protocol', status: null });
  });

  it('a folded header line continues its header: a redirect whose location is folded is followed', async () => {
    let n = 0;
    const server = await raw((socket) => {
      const first = n++ === 0;
      sends(
        first
          ? ['HTTP/1.1 301 Moved\r\nLocation:\r\n /next\r\nContent-Length: 0\r\n\r\n']
          : ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
      )(socket);
    });
    const result = await probe(site(server.url, { retries: 0 }), context());
    expect(result).toMatchObject({ ok: true, status: 200, redirects: 1 });
  });

  it('a header value with a line break is refused before anything is sent', async () => {
    const server = await raw(sends(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']));
    const result = await probe(
      site(server.url, { retries: 0, headers: { 'x-bad': 'a\r\nx-injected: 1' } }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, kind: 'protocol', status: null });
    expect(result.error).toContain('invalid header');
  });
});
