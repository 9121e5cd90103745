/** `check` on the built bin with assertions, slow sites and certificates close to their expiry. */

import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { type CertServer, issueCert, startCertServer } from '../helpers/expiring-cert.js';
import { delay } from '../helpers/handlers.js';
import { runBin } from '../helpers/processes.js';

// These tests run the built program (dist/): `npm test` builds it first.

const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));
const ENV = { NO_COLOR: '', FORCE_COLOR: '', NODE_EXTRA_CA_CERTS: CA_FILE };

const { serve, config } = useCleanup();
let certServer: CertServer;
afterAll(() => certServer?.close());

const check = (args: string[]) => runBin(['check', ...args], { env: ENV, timeoutMs: 20_000 });

async function sites() {
  const health = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', db: { ok: true } }));
  });
  const slow = await serve(delay(300));
  certServer ??= await startCertServer([issueCert(3)]);
  return {
    health: {
      url: `${health.url}/health`,
      name: 'health',
      expect: { json: { '$.status': 'ok', 'db.ok': true } },
    },
    slow: { url: `${slow.url}/`, name: 'slow', expect: { maxResponseMs: '100ms' } },
    cert: { url: certServer.url, name: 'cert' },
    maintenance: {
      url: `${health.url}/`,
      name: 'maintenance',
      expect: { bodyContains: 'Welcome' },
    },
  };
}

describe('check with expect and certExpiry (built bin)', () => {
  it('--json: assertions, degraded, tls and the counts; a failed assertion is down (exit 1)', async () => {
    const s = await sites();
    const file = await config({ sites: [s.health, s.slow, s.cert, s.maintenance] });
    const run = await check([file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary).toEqual({ total: 4, up: 3, down: 1, degraded: 1, certWarnings: 1 });
    const [health, slow, cert, maintenance] = doc.results;
    expect(health).toMatchObject({ ok: true, method: 'GET', kind: 'ok', tls: null });
    expect(health.assertions).toEqual([
      { assertion: '$.status is "ok"', passed: true },
      { assertion: 'db.ok is true', passed: true },
    ]);
    expect(slow).toMatchObject({ ok: true, method: 'HEAD', degraded: true });
    expect(slow.assertions[0].message).toMatch(/^response took \d+ ms, over maxResponseMs 100 ms$/);
    expect(cert).toMatchObject({
      ok: true,
      certWarning: 7,
      tls: { daysLeft: 3, subject: 'CN=expires-in-3-days' },
    });
    expect(maintenance).toMatchObject({ ok: false, kind: 'assertion', status: 200 });
    expect(maintenance.error).toMatch(
      /^body does not contain "Welcome" \(got \d+ bytes starting "\{"status":"ok"/,
    );
  });

  it('the table marks slow sites and certificates close to expiry; exit 0 unless --fail-on', async () => {
    const s = await sites();
    const file = await config({ sites: [s.health, s.slow, s.cert] });
    const run = await check([file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(/^SLOW\s+slow\s+\d+ ms\s+200, slow: \d+ ms > 100 ms$/);
    expect(lines[2]).toMatch(/^CERT\s+cert\s+.*200, certificate expires in 3 days$/);
    expect(lines[3]).toMatch(/^UP\s+health\s+.*200 GET$/);
    expect(run.stdout).toContain('3 sites: 3 up, 0 down, 1 degraded, 1 certificate expiring in');

    expect((await check([file, '--fail-on', 'degraded'])).code).toBe(1);
    expect((await check([file, '--fail-on', 'cert'])).code).toBe(1);
    const onlyHealth = await config({ sites: [s.health] });
    expect((await check([onlyHealth, '--fail-on', 'degraded,cert'])).code).toBe(0);
    const bad = await check([file, '--fail-on', 'slow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on takes degraded, cert or both, comma-separated.');
  });
});
