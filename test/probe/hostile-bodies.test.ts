/**
 * Bodies that try to hang or exhaust the monitor: each check must end at the body cap or the deadline,
 * keep memory bounded, and say why.
 */

import type { ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Expect } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { bigBody } from '../helpers/handlers.js';
import { trickleBody } from '../helpers/hostile.js';
import type { Handler } from '../helpers/http-server.js';

const { defer, serve, raw } = useCleanup();
const MiB = 1024 * 1024;

function context() {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 10 };
}

const judge = (url: string, expectations: Expect, timeoutMs = 10_000) =>
  probe(site(url, { retries: 0, timeoutMs, expect: expectations }), context());

/** Writes `next()` chunks with backpressure until the client goes away (or `next` returns null). */
function pump(res: ServerResponse, next: () => Buffer | null): void {
  const go = (): void => {
    while (!res.destroyed) {
      const chunk = next();
      if (chunk === null) return void res.end();
      if (!res.write(chunk)) return void res.once('drain', go);
    }
  };
  go();
}

/** A chunked body that never ends. Counts what it managed to send. */
function endless(sent: { bytes: number }): Handler {
  const chunk = Buffer.alloc(16 * 1024, 'x');
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    pump(res, () => {
      sent.bytes += chunk.length;
      return chunk;
    });
  };
}

/** 128 MiB of zeros, gzipped (about 128 KiB): small on the wire, huge once inflated. */
function gzipBomb(): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise<Buffer>((resolve) => gzip.once('end', () => resolve(Buffer.concat(parts))));
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < 128; i++) gzip.write(zeros);
  gzip.end();
  return done;
}

describe('probe: hostile bodies', () => {
  it('a 2 GB body ends at the cap (1 MiB by default) and says so', async () => {
    const server = await serve(bigBody(2 * 1024 * MiB));
    const result = await judge(`${server.url}/`, { bodyContains: ['never there'] });
    expect(result).toMatchObject({ ok: false, kind: 'assertion', status: 200 });
    expect(result.error).toBe(
      'the body is over 1 MiB, the most read for the assertions (maxBodyBytes): reading stopped there',
    );
  });

  it('an endless chunked body ends at the cap: a bodyNotContains never passes on a cut body', async () => {
    const sent = { bytes: 0 };
    const server = await serve(endless(sent));
    const result = await probe(
      site(`${server.url}/`, { retries: 0, maxBodyBytes: 64 * 1024, expect: { bodyNotContains: ['Error'] } }),
      context(),
    );
    expect(result.kind).toBe('assertion');
    expect(result.error).toMatch(/^the body is over 64 KiB/);
    // The server got no further than the socket buffers let it: reading stopped, the connection closed.
    expect(sent.bytes).toBeLessThan(64 * MiB);
  });

  it('a body that trickles in forever ends at the deadline, as a timeout of the body', async () => {
    const server = await raw(trickleBody(20));
    const result = await judge(server.url, { bodyContains: ['a'.repeat(1000)] }, 400);
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    expect(result.error).toMatch(/waited for the response body/);
  });

  it('a gzip bomb stops once the inflated body passes the cap; memory stays bounded', async () => {
    const bomb = await gzipBomb();
    expect(bomb.length).toBeLessThan(MiB);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const before = process.memoryUsage().arrayBuffers;
    const result = await judge(`${server.url}/`, { bodyContains: ['x'] });
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(result.kind).toBe('assertion');
    expect(result.error).toMatch(/^the body is over 1 MiB once decompressed \(gzip\)/);
    // Inflating it all would hold 128 MiB until the next collection.
    expect(grown).toBeLessThan(32 * MiB);
  });

  it('JSON nested 300,000 levels deep is refused unread', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${'['.repeat(300_000)}${']'.repeat(300_000)}`);
    });
    const result = await judge(`${server.url}/`, { json: { '$[0]': { exists: true } } });
    expect(result.kind).toBe('assertion');
    expect(result.error).toBe(
      'response is JSON nested deeper than 256 levels; refused unread (application/json)',
    );
  });

  it('a 50 MB JSON document is refused at the cap', async () => {
    const item = Buffer.from('{"name":"item","ok":true},');
    let left = Math.ceil((50 * MiB) / item.length);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      pump(res, () => (left-- > 0 ? item : null));
    });
    const result = await judge(`${server.url}/`, { json: { '$[0].ok': { equals: true } } });
    expect(result.kind).toBe('assertion');
    expect(result.error).toMatch(/^the body is over 1 MiB/);
  });

  it('a pattern that backtracks exponentially in JavaScript runs in linear time on a 1 MiB body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${'a'.repeat(MiB - 1)}!`);
    });
    // /(a+)+$/ on "aaaa…!" never returns in a backtracking engine.
    const result = await judge(`${server.url}/`, { bodyMatches: '(a+)+$' });
    expect(result.kind).toBe('assertion');
    expect(result.error).toMatch(/^body does not match \/\(a\+\)\+\$\/ \(got 1 MiB starting "aaaa/);
  });
});
