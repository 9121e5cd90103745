// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';
import { problemLines as problems } from './problems.js';

function sites(config: unknown, env: NodeJS.ProcessEnv = {}) {
  return parseConfig(JSON.stringify(config), 'sites.json', env).sites;
}

describe('request options (method, body, ipFamily, proxy)', () => {
  it('are absent by default: HEAD, no body, both families, the environment decides the proxy', () => {
    const [a] = sites(['https://a.example/']);
    expect(a).toMatchObject({ method: 'HEAD', body: undefined, ipFamily: undefined, proxy: undefined });
  });

  it('take POST, PUT and OPTIONS with a body: a string as text, an object or array as JSON', () => {
    const [post, put, options] = sites(
      {
        sites: [
          { url: 'https://a.example/health', method: 'POST', body: { probe: true, token: '${TOKEN}' } },
          { url: 'https://b.example/', method: 'PUT', body: 'ping' },
          { url: 'https://c.example/', method: 'OPTIONS', body: [1, 2] },
        ],
      },
      { TOKEN: 't0k' },
    );
    expect(post?.body).toEqual({ text: '{"probe":true,"token":"t0k"}', contentType: 'application/json' });
    expect(put?.body).toEqual({ text: 'ping', contentType: 'text/plain; charset=utf-8' });
    expect(options?.body).toEqual({ text: '[1,2]', contentType: 'application/json' });
  });

  it('take a body from defaults for the sites whose method sends one', () => {
    const [a] = sites({ defaults: { method: 'POST', body: 'x' }, sites: ['https://a.example/'] });
    expect(a).toMatchObject({ method: 'POST', body: { text: 'x' } });
  });

  it('refuse a body with HEAD or GET, saying where the method and the body come from', () => {
    expect(
      problems({
        defaults: { body: 'x' },
        sites: [
          'https://a.example/',
          { url: 'https://b.example/', method: 'GET', body: { a: 1 } },
          { url: 'https://c.example/', method: 'POST' },
        ],
      }),
    ).toEqual([
      `sites[0]: a body (from defaults) is sent only with method POST, PUT or OPTIONS; this site's method is HEAD (the default): set "method"`,
      `sites[1].body: a body is sent only with method POST, PUT or OPTIONS; this site's method is GET: set "method"`,
    ]);
  });

  it('read ipFamily 4 or 6 and a proxy URL or null, ${VAR} included', () => {
    const [a, b] = sites(
      {
        sites: [
          { url: 'https://a.example/', ipFamily: 6, proxy: 'http://me:${PROXY_PASS}@proxy.example:3128' },
          { url: 'https://b.example/', ipFamily: 4, proxy: null },
        ],
      },
      { PROXY_PASS: 'pw' },
    );
    expect(a).toMatchObject({ ipFamily: 6, proxy: 'http://me:pw@proxy.example:3128' });
    expect(b).toMatchObject({ ipFamily: 4, proxy: null });
  });

  it('count a ${VAR} in a proxy URL or a body as a secret, masked in every output', () => {
    const config = parseConfig(
      JSON.stringify({
        defaults: { proxy: 'http://me:${PROXY_PASS}@proxy.example:3128' },
        sites: [{ url: 'https://a.example/', method: 'POST', body: { token: '${API_TOKEN}' } }],
      }),
      'sites.json',
      { PROXY_PASS: 'pw-1', API_TOKEN: 'tok-2' },
    );
    expect(config.secrets.sort()).toEqual(['pw-1', 'tok-2']);
  });

  it("are in validate's listing, without the body or the proxy password", () => {
    const config = parseConfig(
      JSON.stringify({
        sites: [
          { url: 'https://a.example/', method: 'POST', body: { token: 'tok-2' }, ipFamily: 6 },
          { url: 'https://b.example/', proxy: 'http://me:${PROXY_PASS}@proxy.example:3128' },
          { url: 'https://c.example/', proxy: null },
        ],
      }),
      'sites.json',
      { PROXY_PASS: 'pw-1' },
    );
    const lines = describeConfig(config).split('\n');
    expect(lines.slice(1, 4)).toEqual([
      '  https://a.example/: POST, with a body (17 bytes, application/json), IPv6 only, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399',
      '  https://b.example/: HEAD, through proxy http://***@proxy.example:3128, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399',
      '  https://c.example/: HEAD, no proxy, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399',
    ]);
    expect(lines.join('\n')).not.toMatch(/tok-2|pw-1/);
  });

  it('report every bad value at once, with its path and what is allowed, never a proxy password', () => {
    const found = problems({
      sites: [
        { url: 'https://a.example/', method: 'DELETE' },
        { url: 'https://b.example/', method: 'post' },
        { url: 'https://c.example/', ipFamily: 5 },
        { url: 'https://d.example/', proxy: 'socks5://u:secret-pw@proxy.example:1080' },
        { url: 'https://e.example/', proxy: 'http://u:secret-pw@proxy.example:3128/path' },
        { url: 'https://f.example/', proxy: 'u:secret-pw@nowhere' },
        { url: 'https://g.example/', proxy: 3128 },
        { url: 'https://j.example/', proxy: 'http://u:secret-pw@[::1' },
        { url: 'https://h.example/', method: 'POST', body: 42 },
        { url: 'https://i.example/', method: 'POST', body: 'x'.repeat(65 * 1024) },
      ],
    });
    expect(found).toEqual([
      'sites[0].method: expected "HEAD", "GET", "POST", "PUT" or "OPTIONS", found string "DELETE"',
      'sites[1].method: expected "HEAD", "GET", "POST", "PUT" or "OPTIONS", found string "post"; did you mean "POST"?',
      'sites[2].ipFamily: expected 4 or 6, found number 5',
      'sites[3].proxy: only http:// proxies are supported (HTTPS sites go through them by CONNECT), found socks5://',
      'sites[4].proxy: a proxy URL has no path, query or fragment: write http://[user:password@]host:port, found "http://***@proxy.example:3128/path"',
      'sites[5].proxy: expected an http:// proxy URL such as "http://proxy.example:3128", found "***@nowhere"',
      'sites[6].proxy: expected an http:// proxy URL such as "http://proxy.example:3128", or null, found number 3128',
      'sites[7].proxy: expected an http:// proxy URL such as "http://proxy.example:3128", found "http://***@[::1"',
      'sites[8].body: expected a string, or a JSON object or array, found number 42',
      'sites[9].body: the body is over 64 KiB; a check sends a small request',
    ]);
    expect(found.join('\n')).not.toContain('secret-pw');
  });
});
