import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import type { Handler } from '../helpers/http-server.js';

const { defer, serve } = useCleanup();

function context(): ProbeContext {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

/** Redirects by path: routes['/a'] = '/b' sends /a to /b with `code`; any other path answers 200. */
function routes(map: Record<string, string>, code = 302): Handler {
  return (req, res) => {
    const to = map[req.url ?? ''];
    if (to === undefined) return status(200)(req, res);
    res.writeHead(code, { location: to });
    res.end();
  };
}

describe('probe: redirects', () => {
  it('follows a chain of 3 redirects and reports redirects 3', async () => {
    const server = await serve(routes({ '/a': '/b', '/b': '/c', '/c': '/d' }));
    const result = await probe(site(`${server.url}/a`), context());

    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b', '/c', '/d']);
    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok', redirects: 3, attempts: 1 });
  });

  it('follows an absolute redirect to another origin', async () => {
    const target = await serve(status(200));
    const start = await serve(routes({ '/': `${target.url}/landing` }, 301));
    const result = await probe(site(`${start.url}/`), context());

    expect(target.requests.map((r) => r.url)).toEqual(['/landing']);
    expect(result).toMatchObject({ ok: true, status: 200, redirects: 1 });
    // The result names the URL that was configured, not where it ended.
    expect(result.url).toBe(`${start.url}/`);
  });

  it('does not send URL credentials to another origin', async () => {
    const target = await serve(status(200));
    const start = await serve(routes({ '/': `${target.url}/` }));
    await probe(site(`http://u:p@127.0.0.1:${start.port}/`), context());

    expect(start.requests[0]?.headers.authorization).toBeDefined();
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('a redirect loop is down with kind redirect-loop and is not retried', async () => {
    const server = await serve(routes({ '/a': '/b', '/b': '/a' }));
    const result = await probe(site(`${server.url}/a`), context());

    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b']);
    // One redirect followed (/a to /b); the next, back to /a, closes the loop: the count and the message agree.
    expect(result).toMatchObject({ ok: false, kind: 'redirect-loop', attempts: 1, redirects: 1 });
    expect(result.error).toBe(
      `redirect loop: after 1 redirect followed, the next one leads back to ${server.url}/a`,
    );
  });

  it('more hops than maxRedirects is down with kind redirect-loop', async () => {
    const server = await serve(routes({ '/a': '/b', '/b': '/c', '/c': '/d' }));
    const result = await probe(site(`${server.url}/a`, { maxRedirects: 2 }), context());

    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b', '/c']);
    expect(result).toMatchObject({ ok: false, kind: 'redirect-loop', redirects: 2, attempts: 1 });
    expect(result.error).toContain('too many redirects');
    expect(result.error).toContain('2');
  });

  it('exactly maxRedirects hops is still up', async () => {
    const server = await serve(routes({ '/a': '/b', '/b': '/c' }));
    const result = await probe(site(`${server.url}/a`, { maxRedirects: 2 }), context());
    expect(result).toMatchObject({ ok: true, redirects: 2 });
  });

  it('a redirect to ftp: is not followed: redirect-blocked, naming the scheme', async () => {
    const server = await serve(routes({ '/': 'ftp://files.example.test/pub' }));
    const result = await probe(site(`${server.url}/`), context());

    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, kind: 'redirect-blocked', status: 302, attempts: 1 });
    expect(result.error).toContain('ftp');
  });

  it('maxRedirects 0 judges the 3xx itself without following it', async () => {
    const server = await serve(routes({ '/': '/elsewhere' }, 301));
    const up = await probe(site(`${server.url}/`, { maxRedirects: 0 }), context());

    expect(server.requests.map((r) => r.url)).toEqual(['/']);
    expect(up).toMatchObject({ ok: true, status: 301, kind: 'ok', redirects: 0 });

    const strict = await probe(
      site(`${server.url}/`, { maxRedirects: 0, expectStatus: [{ min: 200, max: 299 }] }),
      context(),
    );
    expect(strict).toMatchObject({ ok: false, status: 301, kind: 'http-status', redirects: 0 });
  });

  it('a 303 after a GET fallback continues with GET; a HEAD stays HEAD through a 302', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/' && req.method === 'HEAD') return status(405)(req, res);
      if (req.url === '/') return routes({ '/': '/next' }, 303)(req, res);
      return status(200)(req, res);
    });
    const result = await probe(site(`${server.url}/`), context());
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /', 'GET /', 'GET /next']);
    expect(result).toMatchObject({ ok: true, method: 'GET', redirects: 1 });

    const plain = await serve(routes({ '/': '/next' }));
    await probe(site(`${plain.url}/`), context());
    expect(plain.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /', 'HEAD /next']);
  });
});
