import { describe, expect, it } from 'vitest';
import { PAGE_CSS_HASH } from '../../src/serve/status/css.js';
import { sampleModel } from './fixtures.js';
import { useStatusServer } from './harness.js';

const start = useStatusServer();

describe('the status server routes', () => {
  it('serves the page as UTF-8 HTML under a CSP that forbids scripts and allows only its own style sheet', async () => {
    const { url } = await start(sampleModel());
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src '${PAGE_CSS_HASH}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<title>Example status</title>');
    expect(html).toMatch(/<meta http-equiv="refresh" content="60">/);
    expect(html).not.toMatch(/<script/i);
  });

  it('serves status.json, /metrics, /healthz and badges with their content types and the same headers', async () => {
    const { url } = await start(sampleModel());
    const cases: [string, string][] = [
      ['/api/status.json', 'application/json; charset=utf-8'],
      ['/metrics', 'text/plain; version=0.0.4; charset=utf-8'],
      ['/healthz', 'application/json; charset=utf-8'],
      ['/badge/shop.svg', 'image/svg+xml; charset=utf-8'],
      ['/badge/shop.svg?type=uptime', 'image/svg+xml; charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      await res.arrayBuffer();
    }
    const json = (await (await fetch(`${url}/api/status.json`)).json()) as {
      sites: { id: string; state: string }[];
    };
    expect(json.sites.map((s) => [s.id, s.state])).toEqual([
      ['shop', 'up'],
      ['api', 'down'],
      ['blog', 'degraded'],
      ['new', 'unknown'],
    ]);
  });

  it('badges say the state in words, or the 30-day uptime with ?type=uptime', async () => {
    const { url } = await start(sampleModel());
    expect(await (await fetch(`${url}/badge/api.svg`)).text()).toContain('>down</text>');
    expect(await (await fetch(`${url}/badge/shop.svg?type=uptime`)).text()).toContain(
      '>uptime 30d: 99.95%</text>',
    );
    expect(await (await fetch(`${url}/badge/new.svg?type=uptime`)).text()).toContain(
      '>uptime 30d: no data</text>',
    );
    const bad = await fetch(`${url}/badge/shop.svg?type=<b>`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain('<b>');
    expect((await fetch(`${url}/badge/nope.svg`)).status).toBe(404);
    expect((await fetch(`${url}/badge/..%2Fshop.svg`)).status).toBe(404);
  });

  it('answers 404 for any other path and 405 with Allow for any other method', async () => {
    const { url } = await start(sampleModel());
    for (const path of ['/nope', '/api', '/api/status.json/', '/badge/', '/metrics/x', '/favicon.ico']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await fetch(`${url}/`, {
        method,
        body: method === 'POST' || method === 'PUT' ? 'x' : undefined,
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('GET, HEAD');
      await res.arrayBuffer();
    }
  });

  it('HEAD gives the headers of GET and no body', async () => {
    const { url } = await start(sampleModel());
    const get = await fetch(`${url}/`);
    const getBody = await get.text();
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(await head.text()).toBe('');
  });

  it('with a token, /metrics and /api/status.json need Authorization: Bearer; the page, health and badges do not', async () => {
    const token = 'tok-3f9a8c1e5b7d';
    const { url } = await start(sampleModel(), { token });
    for (const path of ['/metrics', '/api/status.json']) {
      const none = await fetch(`${url}${path}`);
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="uptime-squirrel"');
      expect(await none.text()).not.toContain(token);
      for (const wrong of [
        `Bearer ${token}x`,
        `Bearer ${token.slice(0, -1)}`,
        `Basic ${token}`,
        token,
        'Bearer ',
      ]) {
        const res = await fetch(`${url}${path}`, { headers: { authorization: wrong } });
        expect(res.status, `${path} ${wrong}`).toBe(401);
        await res.arrayBuffer();
      }
      const ok = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status, path).toBe(200);
      await ok.arrayBuffer();
    }
    for (const path of ['/', '/healthz', '/badge/shop.svg']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('/healthz is 503 with the unhealthy part named when the daemon is not healthy', async () => {
    const { url } = await start(sampleModel(), {
      health: () => ({
        healthy: false,
        checkedAt: '2030-03-31T12:00:00.000Z',
        parts: {
          sweeps: { healthy: false, detail: 'the last sweep finished 20m ago' },
          database: { healthy: true, detail: 'writable' },
          outbox: { healthy: true, detail: 'empty' },
        },
      }),
    });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ healthy: false, parts: { sweeps: { healthy: false } } });
  });

  it('negotiates OpenMetrics from Accept, as Prometheus asks for it', async () => {
    const { url } = await start(sampleModel());
    const accept =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const open = await fetch(`${url}/metrics`, { headers: { accept } });
    expect(open.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const body = await open.text();
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('# TYPE uptime_squirrel_sweeps counter');
    // The classic format is untouched by an OpenMetrics scrape before it (prom-client renames counters in place).
    const text = await (await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } })).text();
    expect(text).toContain('# TYPE uptime_squirrel_sweeps_total counter');
    expect(text).not.toContain('# EOF');
  });
});
