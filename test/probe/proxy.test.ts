import { describe, expect, it } from 'vitest';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient, type HttpClientOptions } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { createRedactor } from '../../src/util/redact.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { startH2Server } from '../helpers/h2-server.js';
import { status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { freePort } from '../helpers/ports.js';
import { startRefusingProxy, type TestRefusingProxy } from '../helpers/refusing-proxy.js';
import { startTinyproxy, type TestProxy } from '../helpers/tinyproxy.js';
import { caCert } from '../helpers/tls.js';

const { defer, serve, raw } = useCleanup();

function checker(options: HttpClientOptions = {}, redact?: (text: string) => string) {
  // No proxy from this process's own environment unless a test gives one.
  const client = new HttpClient({ ca: caCert(), env: {}, ...options });
  defer(() => client.close());
  return (s: Site) =>
    probe(s, { client, userAgent: USER_AGENT, retryDelayMs: 50, ...(redact ? { redact } : {}) });
}

async function tinyproxy(opts: Parameters<typeof startTinyproxy>[0] = {}): Promise<TestProxy> {
  const proxy = await startTinyproxy(opts);
  defer(proxy.close);
  return proxy;
}

async function refusing(code?: number): Promise<TestRefusingProxy> {
  const proxy = await startRefusingProxy(code);
  defer(proxy.close);
  return proxy;
}

const USER = 'alice';
const PASSWORD = 'pr0xy-s3cret';

describe('probe: through a proxy (tinyproxy)', () => {
  it('plain http goes to the proxy in absolute form; the result says which proxy, and the timings are its', async () => {
    const proxy = await tinyproxy();
    const server = await serve(status(200));
    const result = await checker()(site(`${server.url}/health?x=1`, { proxy: proxy.url }));

    expect(result).toMatchObject({ ok: true, status: 200, kind: 'ok', proxy: proxy.url, httpVersion: '1.1' });
    expect(await proxy.waitForRequests(1)).toEqual([`HEAD ${server.url}/health?x=1 HTTP/1.1`]);
    expect(server.requests).toMatchObject([{ method: 'HEAD', url: '/health?x=1' }]);
    // The connection is the proxy's: its address, its connect time; no tunnel for plain http.
    expect(result.remoteAddress).toBe(`127.0.0.1:${proxy.port}`);
    expect(result.timings).toMatchObject({ dnsMs: 0, proxyMs: null, tlsMs: null });
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('https opens a CONNECT tunnel and still verifies the site certificate; proxyMs is the tunnel', async () => {
    const proxy = await tinyproxy();
    const server = await serve(status(200), { tls: 'server' });
    const result = await checker()(site(`${server.url}/`, { proxy: proxy.url }));

    expect(result).toMatchObject({ ok: true, status: 200, proxy: proxy.url });
    expect(await proxy.waitForRequests(1)).toEqual([`CONNECT 127.0.0.1:${server.port} HTTP/1.1`]);
    expect(result.timings.proxyMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tlsMs).toBeGreaterThanOrEqual(0);

    const untrusted = await serve(status(200), { tls: 'self-signed' });
    const bad = await checker()(site(`${untrusted.url}/`, { proxy: proxy.url }));
    expect(bad).toMatchObject({ ok: false, kind: 'tls', status: null, attempts: 1 });
    expect(bad.error).toContain('self-signed');
    expect(untrusted.requests).toHaveLength(0);
  });

  it('HTTP/2 is negotiated through the tunnel', async () => {
    const proxy = await tinyproxy();
    const server = await startH2Server();
    defer(server.close);
    const result = await checker()(site(server.url, { proxy: proxy.url }));

    expect(result).toMatchObject({ ok: true, httpVersion: '2', proxy: proxy.url });
    expect(server.requests).toMatchObject([{ method: 'HEAD', httpVersion: '2.0' }]);
  });

  it('HTTP_PROXY, HTTPS_PROXY and NO_PROXY are honoured; a site with proxy null goes direct', async () => {
    const proxy = await tinyproxy();
    const plain = await serve(status(200));
    const secure = await serve(status(200), { tls: 'server' });

    const viaEnv = checker({ env: { HTTP_PROXY: proxy.url } });
    expect(await viaEnv(site(`${plain.url}/a`))).toMatchObject({ ok: true, proxy: proxy.url });
    // HTTPS_PROXY unset: https takes the http proxy too (undici's EnvHttpProxyAgent does the same).
    expect(await viaEnv(site(`${secure.url}/b`))).toMatchObject({ ok: true, proxy: proxy.url });
    expect(await viaEnv(site(`${plain.url}/c`, { proxy: null }))).toMatchObject({ ok: true, proxy: null });
    expect(await proxy.waitForRequests(2)).toEqual([
      `HEAD ${plain.url}/a HTTP/1.1`,
      `CONNECT 127.0.0.1:${secure.port} HTTP/1.1`,
    ]);

    const excepted = checker({
      env: { http_proxy: proxy.url, NO_PROXY: `example.org, 127.0.0.1:${plain.port}` },
    });
    expect(await excepted(site(`${plain.url}/d`))).toMatchObject({ ok: true, proxy: null });
    const onlyHttps = checker({ env: { HTTPS_PROXY: proxy.url } });
    expect(await onlyHttps(site(`${plain.url}/e`))).toMatchObject({ ok: true, proxy: null });
    expect(plain.requests.map((r) => r.url)).toEqual(['/a', '/c', '/d', '/e']);
    expect(proxy.requests).toHaveLength(2);
  });

  it('proxy credentials are sent to the proxy and masked everywhere in the result', async () => {
    const proxy = await tinyproxy({ auth: { user: USER, password: PASSWORD } });
    const server = await serve(status(200), { tls: 'server' });
    const withCredentials = `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`;
    const check = checker({}, createRedactor([PASSWORD]));

    const up = await check(site(`${server.url}/`, { proxy: withCredentials }));
    expect(up).toMatchObject({ ok: true, proxy: `http://***@127.0.0.1:${proxy.port}` });

    const wrong = await check(
      site(`${server.url}/`, { proxy: `http://${USER}:nope@127.0.0.1:${proxy.port}` }),
    );
    expect(wrong).toMatchObject({ ok: false, kind: 'proxy', status: null, attempts: 1 });
    // tinyproxy answers wrong credentials with 401 (none at all with 407); to CONNECT, either is the proxy's.
    expect(wrong.error).toBe(
      `proxy http://***@127.0.0.1:${proxy.port} refused the request: 401 Unauthorized (the credentials in the proxy URL were refused)`,
    );
    const none = await check(site(`${server.url}/`, { proxy: proxy.url }));
    expect(none).toMatchObject({ ok: false, kind: 'proxy', attempts: 1 });
    expect(none.error).toContain('407 Proxy Authentication Required (it wants credentials');
    const plain = await serve(status(200));
    const plainUp = await check(site(`${plain.url}/`, { proxy: withCredentials }));
    expect(plainUp).toMatchObject({ ok: true, status: 200 });
    // Only the proxy sees its credentials: they are not passed on to the site.
    expect(plain.requests[0]?.headers['proxy-authorization']).toBeUndefined();
    const fromEnv = await checker({ env: { HTTPS_PROXY: withCredentials } })(site(`${server.url}/`));
    expect(fromEnv).toMatchObject({ ok: true, proxy: `http://***@127.0.0.1:${proxy.port}` });
    for (const result of [up, wrong, none, plainUp, fromEnv])
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('a site that refuses the proxy is refused, and the message says the proxy could not reach it', async () => {
    const proxy = await tinyproxy();
    const port = await freePort();
    const result = await checker()(site(`https://127.0.0.1:${port}/`, { proxy: proxy.url, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'refused', status: null });
    expect(result.error).toMatch(
      new RegExp(`^proxy ${proxy.url} could not reach 127\\.0\\.0\\.1:${port}: it answered 5\\d\\d`),
    );
  });

  it('a site that never answers through the proxy times out within the timeout', async () => {
    const proxy = await tinyproxy();
    const server = await raw(silent());
    const started = performance.now();
    const result = await checker()(site(`${server.url}/`, { proxy: proxy.url, timeoutMs: 500, retries: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'timeout', status: null, proxy: proxy.url });
    expect(result.error).toContain('headers timeout');
    expect(performance.now() - started).toBeLessThan(500 + 500);
  });
});

describe('probe: a proxy that fails is blamed, not the site', () => {
  it('a proxy that is down is kind proxy, naming the proxy and the address that refused', async () => {
    const port = await freePort();
    const server = await serve(status(200));
    const result = await checker()(site(server.url, { proxy: `http://127.0.0.1:${port}`, retries: 0 }));

    expect(result).toMatchObject({
      ok: false,
      kind: 'proxy',
      status: null,
      proxy: `http://127.0.0.1:${port}`,
    });
    expect(result.error).toBe(
      `proxy http://127.0.0.1:${port} is not reachable: connection refused by 127.0.0.1:${port} (nothing listening on that port?)`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('a 407 to CONNECT (https) and to a plain request (http) is kind proxy, not retried', async () => {
    const proxy = await refusing(407);
    const check = checker();
    const secure = await check(site('https://site.example/', { proxy: proxy.url }));
    const plain = await check(site('http://site.example/x', { proxy: proxy.url }));

    for (const result of [secure, plain]) {
      expect(result).toMatchObject({ ok: false, kind: 'proxy', status: null, attempts: 1 });
      expect(result.error).toBe(
        `proxy ${proxy.url} refused the request: 407 Proxy Authentication Required (it wants credentials: give them in the proxy URL, http://user:password@host:port)`,
      );
    }
    expect(proxy.requests).toEqual([
      { method: 'CONNECT', target: 'site.example:443', authorization: undefined },
      { method: 'HEAD', target: 'http://site.example/x', authorization: undefined },
    ]);

    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const withCredentials = `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`;
    await check(site('https://site.example/', { proxy: withCredentials }));
    await check(site('http://site.example/y', { proxy: withCredentials }));
    expect(proxy.requests.slice(2).map((r) => r.authorization)).toEqual([basic, basic]);
  });

  it('a proxy that refuses the tunnel for another reason is kind proxy with its answer', async () => {
    const proxy = await refusing(403);
    const result = await checker()(site('https://site.example/', { proxy: proxy.url }));

    expect(result).toMatchObject({ ok: false, kind: 'proxy', attempts: 1 });
    expect(result.error).toBe(
      `proxy ${proxy.url} refused to open a tunnel to site.example:443: it answered 403 Refused`,
    );
  });

  it('a proxy URL from the environment that cannot be used is kind proxy, without showing it', async () => {
    const result = await checker({ env: { HTTPS_PROXY: `socks5://me:${PASSWORD}@127.0.0.1:1080` } })(
      site('https://site.example/'),
    );
    expect(result).toMatchObject({ ok: false, kind: 'proxy', attempts: 1 });
    expect(result.error).toBe(
      'the proxy from HTTP_PROXY/HTTPS_PROXY cannot be used: only http:// proxies are supported, not socks5://',
    );
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });
});
