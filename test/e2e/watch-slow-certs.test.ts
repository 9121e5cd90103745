/**
 * `watch --once` on the built bin: a slow site becomes degraded and recovers, a certificate close to its
 * expiry is warned about and its renewal told, each once, through the outbox to a real webhook receiver.
 */

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertServer, issueCert, startCertServer } from '../helpers/expiring-cert.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { queryDb } from '../watch/helpers/query.js';

const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));

let dir: { path: string; cleanup: () => Promise<void> };
let slow: TestHttpServer;
let certs: CertServer;
let hook: TestWebhookReceiver;
let config: string;
let delayMs = 0;

beforeAll(async () => {
  dir = await tempDir();
  slow = await startHttpServer((_req, res) => {
    const timer = setTimeout(() => res.end('ok'), delayMs);
    res.once('close', () => clearTimeout(timer));
  });
  certs = await startCertServer([issueCert(20, 'old.example'), issueCert(400, 'new.example')]);
  hook = await startWebhookReceiver();
  config = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0 },
    sites: [
      { url: `${slow.url}/`, name: 'Slow', expect: { maxResponseMs: '150ms' } },
      { url: certs.url, name: 'Cert' },
    ],
    channels: { hook: { type: 'webhook', url: hook.url } },
  });
});
afterAll(async () => {
  await Promise.all([slow.close(), certs.close(), hook.close()]);
  await dir.cleanup();
});

const once = () =>
  runBin(['watch', '--once', config], {
    cwd: dir.path,
    env: { NODE_EXTRA_CA_CERTS: CA_FILE },
    timeoutMs: 15_000,
  });

interface Payload {
  title: string;
  entries: { kind: string; site: { name: string }; cause: string }[];
}

describe('watch: degraded and certificate events (built bin)', () => {
  it('degraded, then recovered; cert-expiring, then cert-renewed: each once, delivered by webhook', async () => {
    delayMs = 600;
    certs.serve(0);
    const first = await once();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /WARN DEGRADED Slow \(.*\): response took \d+ ms, over maxResponseMs 150 ms$/m,
    );
    expect(first.stderr).toMatch(
      /WARN CERTIFICATE EXPIRING Cert \(.*\): the certificate CN=old\.example expires in 20 days \(\d{4}-\d\d-\d\d\), within the 30 days warning$/m,
    );
    await hook.waitForRequests(1);
    const message = hook.requests[0]?.json as Payload;
    expect(message.title).toBe('1 degraded, 1 certificate expiring');
    expect(message.entries.map((e) => [e.kind, e.site.name])).toEqual(
      expect.arrayContaining([
        ['degraded', 'Slow'],
        ['cert-expiring', 'Cert'],
      ]),
    );

    // The same again: nothing new to say, nothing sent.
    const second = await once();
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/DEGRADED|CERTIFICATE/);

    delayMs = 0;
    certs.serve(1);
    const third = await once();
    expect(third.stderr).toMatch(/ RECOVERED Slow \(.*\): quick again after/m);
    expect(third.stderr).toMatch(/ CERTIFICATE RENEWED Cert \(.*\): now CN=new\.example until /m);
    await hook.waitForRequests(2);
    expect(hook.requests).toHaveLength(2);
    expect((hook.requests[1]?.json as Payload | undefined)?.title).toBe(
      '1 fast again, 1 certificate renewed',
    );

    const db = `${dir.path}/uptime-squirrel.db`;
    expect(
      queryDb(db, 'SELECT type FROM events ORDER BY id')
        .map((r) => (r as { type: string }).type)
        .sort(),
    ).toEqual(['cert-expiring', 'cert-renewed', 'degraded', 'recovered']);
    expect(queryDb(db, "SELECT value FROM meta WHERE key = 'outbox_cursor'")).toHaveLength(1);
    expect(queryDb(db, 'SELECT status FROM outbox')).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
    ]);
  });
});
