import http from 'node:http';
import net from 'node:net';
import { test } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../src/config/types.js';
import { HttpClient } from '../src/probe/http.js';
import { probe } from '../src/probe/probe.js';

test('scratch', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/r') { res.writeHead(302, { location: '/ok' }); res.end(); return; }
    if (req.url === '/loop') { res.writeHead(302, { location: '/loop' }); res.end(); return; }
    if (req.url === '/405') { if (req.method === 'HEAD') { res.writeHead(405); res.end(); } else { res.end('hello'); } return; }
    if (req.url === '/500') { res.writeHead(500); res.end(); return; }
    if (req.url === '/ftp') { res.writeHead(301, { location: 'ftp://x/' }); res.end(); return; }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const sport = (silent.address() as net.AddressInfo).port;
  const client = new HttpClient();
  const ctx = { client, userAgent: 'x/1', retryDelayMs: 50 };
  const site = (url: string, o: Partial<Site> = {}): Site => ({ ...DEFAULT_OPTIONS, url, name: null, ...o });
  for (const s of [site(`http://127.0.0.1:${port}/ok`), site(`http://127.0.0.1:${port}/r`), site(`http://127.0.0.1:${port}/loop`), site(`http://u:p@127.0.0.1:${port}/405?token=abc`), site(`http://127.0.0.1:${port}/500`), site(`http://127.0.0.1:${port}/ftp`), site(`http://127.0.0.1:1/`), site(`http://127.0.0.1:${sport}/`, { timeoutMs: 1000 }), site(`http://localhost:${port}/ok`)]) {
    const t0 = performance.now();
    const r = await probe(s, ctx);
    console.log(Math.round(performance.now() - t0), JSON.stringify(r));
  }
  await client.close();
  server.close(); silent.close();
});
