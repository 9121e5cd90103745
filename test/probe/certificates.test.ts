/** The certificate on every https result: what served the request, its days left and the warning threshold. */

import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { type CertServer, issueCert, startCertServer } from '../helpers/expiring-cert.js';
import { startHttpServer } from '../helpers/http-server.js';
import { caCert } from '../helpers/tls.js';

const { defer } = useCleanup();
const certs = { soon: issueCert(3), month: issueCert(20), later: issueCert(400) };
const servers: CertServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

function context() {
  const client = new HttpClient({ ca: caCert() });
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 10 };
}

async function server(...list: (typeof certs)[keyof typeof certs][]) {
  const s = await startCertServer(list, { alternate: list.length > 1 });
  servers.push(s);
  return s;
}

/** SHA-256 fingerprint as openssl prints it, independent of the code under test. */
function fingerprint(pem: Buffer): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
    input: pem,
    encoding: 'utf8',
  });
  return out.trim().replace(/^sha256 Fingerprint=/i, '');
}

describe('probe: certificates', () => {
  it('an https result carries the leaf that served it: protocol, cipher, names, dates, days left, fingerprint', async () => {
    const s = await server(certs.soon);
    const result = await probe(site(s.url), context());
    expect(result.ok).toBe(true);
    expect(result.tls).toMatchObject({
      protocol: 'TLSv1.3',
      subject: 'CN=expires-in-3-days',
      issuer: 'CN=uptime-squirrel test CA',
      daysLeft: 3,
      fingerprint256: fingerprint(certs.soon.cert),
      altNames: ['localhost', '127.0.0.1'],
    });
    expect(result.tls?.cipher).toMatch(/^TLS_/);
    expect(Date.parse(result.tls?.validTo ?? '') - Date.parse(result.tls?.validFrom ?? '')).toBe(
      3 * 86_400_000,
    );
    expect(result.certExpiresAt).toBe(result.tls?.validTo);
  });

  it('certWarning is the smallest threshold the certificate is within, null when none', async () => {
    const ctx = context();
    const within = async (cert: (typeof certs)[keyof typeof certs], warnDays: number[]) => {
      const s = await server(cert);
      return (await probe(site(s.url, { certExpiry: { warnDays } }), ctx)).certWarning;
    };
    expect(await within(certs.soon, [30, 14, 7, 1])).toBe(7);
    expect(await within(certs.month, [30, 14, 7, 1])).toBe(30);
    expect(await within(certs.later, [30, 14, 7, 1])).toBeNull();
    expect(await within(certs.soon, [])).toBeNull();
  });

  it('two certificates alternating on one port: each result names the one that served it', async () => {
    const s = await server(certs.month, certs.later);
    const ctx = context();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await probe(site(s.url), ctx)).tls?.fingerprint256);
    const [a, b] = [fingerprint(certs.month.cert), fingerprint(certs.later.cert)];
    expect(seen).toEqual([a, b, a, b]);
  });

  it('a certificate without alt names is verified against its CN, and reported', async () => {
    const ctx = context();
    const at = async (cn: string) => {
      const s = await server(issueCert(20, cn, 'serverAuth', null));
      return probe(site(`https://localhost:${new URL(s.url).port}/`), ctx);
    };
    const matching = await at('localhost');
    expect(matching).toMatchObject({ ok: true, tls: { subject: 'CN=localhost', altNames: [] } });
    const other = await at('other.example');
    expect(other).toMatchObject({ ok: false, kind: 'tls', tls: null });
    expect(other.error).toBe(
      "TLS certificate is not valid for localhost: Host: localhost. is not cert's CN: other.example",
    );
  });

  it('plain http has tls null and no certWarning', async () => {
    const plain = await startHttpServer((_req, res) => res.end('ok'));
    defer(plain.close);
    const result = await probe(site(`${plain.url}/`), context());
    expect(result.tls).toBeNull();
    expect(result).not.toHaveProperty('certWarning');
  });
});
