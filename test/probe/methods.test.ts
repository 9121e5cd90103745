import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { RequestBody } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import type { ProbeContext } from '../../src/probe/context.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import type { Handler } from '../helpers/http-server.js';

const { defer, serve } = useCleanup();

function context(): ProbeContext {
  const client = new HttpClient({ env: {} });
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

/** Records each request with its body, then hands over to `then`. */
function recording(received: Received[], then: Handler = status(200)): Handler {
  return (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      then(req, res);
    });
  };
}

const JSON_BODY: RequestBody = { text: '{"probe":true}', contentType: 'application/json' };

describe('probe: methods and bodies for APIs', () => {
  it.each(['POST', 'PUT', 'OPTIONS'] as const)('%s sends the body with its content-type', async (method) => {
    const received: Received[] = [];
    const server = await serve(recording(received));
    const result = await probe(site(`${server.url}/health`, { method, body: JSON_BODY }), context());

    expect(result).toMatchObject({ ok: true, status: 200, method });
    expect(received).toEqual([
      { method, url: '/health', contentType: 'application/json', body: '{"probe":true}' },
    ]);
  });

  it('a Content-Type in the headers wins; a POST without a body sends none', async () => {
    const received: Received[] = [];
    const server = await serve(recording(received));
    const text: RequestBody = { text: 'ping', contentType: 'text/plain; charset=utf-8' };
    await probe(
      site(server.url, { method: 'POST', body: text, headers: { 'Content-Type': 'application/x-ping' } }),
      context(),
    );
    await probe(site(server.url, { method: 'POST' }), context());

    expect(received).toEqual([
      { method: 'POST', url: '/', contentType: 'application/x-ping', body: 'ping' },
      { method: 'POST', url: '/', contentType: undefined, body: '' },
    ]);
  });

  it('HEAD stays the default and sends no body', async () => {
    const received: Received[] = [];
    const server = await serve(recording(received));
    const result = await probe(site(server.url), context());
    expect(result).toMatchObject({ ok: true, method: 'HEAD' });
    expect(received).toEqual([{ method: 'HEAD', url: '/', contentType: undefined, body: '' }]);
  });

  it('redirects treat a POST as browsers do: 307 keeps it and its body, 302 and 303 turn it into a GET', async () => {
    const received: Received[] = [];
    const routes: Record<string, [number, string]> = {
      '/keep': [307, '/kept'],
      '/found': [302, '/got'],
      '/other': [303, '/got'],
    };
    const server = await serve(
      recording(received, (req, res) => {
        const route = routes[req.url ?? ''];
        if (!route) return status(200)(req, res);
        res.writeHead(route[0], { location: route[1] });
        res.end();
      }),
    );
    const post = (path: string) =>
      probe(site(`${server.url}${path}`, { method: 'POST', body: JSON_BODY }), context());

    expect(await post('/keep')).toMatchObject({ ok: true, method: 'POST', redirects: 1 });
    expect(await post('/found')).toMatchObject({ ok: true, method: 'GET', redirects: 1 });
    expect(await post('/other')).toMatchObject({ ok: true, method: 'GET', redirects: 1 });
    expect(received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /keep {"probe":true}',
      'POST /kept {"probe":true}',
      'POST /found {"probe":true}',
      'GET /got ',
      'POST /other {"probe":true}',
      'GET /got ',
    ]);
    expect(received.filter((r) => r.method === 'GET').map((r) => r.contentType)).toEqual([
      undefined,
      undefined,
    ]);
  });
});
