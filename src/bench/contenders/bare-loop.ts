import http from 'node:http';
import https from 'node:https';
import { loopArgs, runLoop } from './loop.js';

/**
 * The baseline: `http.request(url, { method: 'HEAD', agent: false })` (node:https for https URLs, the CA
 * trusted through NODE_EXTRA_CA_CERTS), a fresh connection per check, at most `concurrency` in flight.
 */
const args = loopArgs();

function head(url: string): Promise<{ ok: boolean; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method: 'HEAD', agent: false }, (res) => {
      const ms = performance.now() - t0;
      res.resume();
      res.on('end', () => resolve({ ok: (res.statusCode ?? 0) < 400, ms }));
    });
    req.setTimeout(args.timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
    req.end();
  });
}

await runLoop(args, head);
