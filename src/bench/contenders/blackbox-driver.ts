import http from 'node:http';
import { loopArgs, runLoop } from './loop.js';

/**
 * Drives a running blackbox_exporter: `GET /probe?target=URL&module=http_2xx` per URL, at most
 * `concurrency` at once, over kept-alive connections (the exporter's cost is the probing, not our
 * requests). Command line: `<exporter base URL> <urls file> <concurrency> <timeout ms>`. The response
 * time is the exporter's own `probe_duration_seconds`; up is its `probe_success`.
 */
const [base, ...rest] = process.argv.slice(2);
const args = loopArgs(rest);
const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });

function probe(url: string): Promise<{ ok: boolean; ms: number }> {
  const target = `${base}/probe?module=http_2xx&target=${encodeURIComponent(url)}`;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(target, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        const value = (name: string) =>
          Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? Number.NaN);
        const seconds = value('probe_duration_seconds');
        resolve({
          ok: value('probe_success') === 1,
          ms: Number.isNaN(seconds) ? performance.now() - t0 : seconds * 1000,
        });
      });
    });
    // The exporter bounds the probe itself (the module's timeout); this only bounds a stuck exporter.
    req.setTimeout(args.timeoutMs * 2, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
  });
}

await runLoop(args, probe);
agent.destroy();
