// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests.

/** A site's own TLS settings against real https servers: its CA, servername, client certificate, version, insecure. */

import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';
import type { SiteTls } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { issueCert } from '../helpers/expiring-cert.js';
import { tempDir } from '../helpers/processes.js';
import { closer, listenLoopback, trackSockets } from '../helpers/sockets.js';
import { caCert, type TlsFixtureName, tlsFixture } from '../helpers/tls.js';

const { defer, serve } = useCleanup();
const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));

/** No client-wide CA: only a site's own settings can make the test CA trusted. */
function context() {
  const client = new HttpClient();
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 10 };
}

const check = (url: string, tls?: SiteTls) => probe(site(url, { retries: 0, tls }), context());

async function https(fixture: TlsFixtureName) {
  return serve((_req, res) => res.end('ok'), { tls: fixture });
}

describe('probe: a site’s own tls settings', () => {
  it('tls.ca trusts a private CA for that site only', async () => {
    const server = await https('server');
    expect((await check(`${server.url}/`)).kind).toBe('tls');
    const trusted = await check(`${server.url}/`, { ca: CA_FILE });
    expect(trusted).toMatchObject({ ok: true, tls: { issuer: 'CN=uptime-squirrel test CA' } });
    expect(trusted).not.toHaveProperty('tlsVerified');
  });

  it('tls.servername is the name sent and verified', async () => {
    const server = await https('wrong-host');
    expect((await check(`${server.url}/`, { ca: CA_FILE })).kind).toBe('tls');
    const named = await check(`${server.url}/`, { ca: CA_FILE, servername: 'wrong.example' });
    expect(named).toMatchObject({ ok: true, tls: { altNames: ['wrong.example'] } });
  });

  it('tls.insecure accepts an expired or self-signed certificate, still reports it, and says it was not verified', async () => {
    const expired = await https('expired');
    const result = await check(`${expired.url}/`, { insecure: true });
    expect(result).toMatchObject({
      ok: true,
      tlsVerified: false,
      certWarning: 1,
      tls: { validTo: '2020-01-01T00:00:00.000Z' },
    });
    expect(result.tls?.daysLeft).toBeLessThan(0);
    const selfSigned = await https('self-signed');
    expect(await check(`${selfSigned.url}/`, { insecure: true })).toMatchObject({
      ok: true,
      tlsVerified: false,
    });
  });

  it('tls.cert and tls.key present a client certificate (mTLS); without them the server refuses', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const client = issueCert(30, 'monitor', 'clientAuth');
    writeFileSync(join(dir.path, 'client.crt'), client.cert);
    writeFileSync(join(dir.path, 'client.key'), client.key);
    const server = createServer(
      { ...tlsFixture('server'), ca: caCert(), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(`hello ${peer.subject?.CN}`);
      },
    );
    const tracker = trackSockets(server);
    const port = await listenLoopback(server);
    defer(closer(server, tracker));
    const url = `https://127.0.0.1:${port}/`;
    expect((await check(url, { ca: CA_FILE })).ok).toBe(false);
    const withCert = await probe(
      site(url, {
        retries: 0,
        method: 'GET',
        tls: { ca: CA_FILE, cert: join(dir.path, 'client.crt'), key: join(dir.path, 'client.key') },
        expect: { bodyContains: ['hello monitor'] },
      }),
      context(),
    );
    expect(withCert).toMatchObject({ ok: true, kind: 'ok' });
  });

  it('tls.minVersion TLSv1.3 refuses a server that stops at TLSv1.2', async () => {
    const server = createServer({ ...tlsFixture('server'), maxVersion: 'TLSv1.2' }, (_req, res) =>
      res.end('ok'),
    );
    const tracker = trackSockets(server);
    const port = await listenLoopback(server);
    defer(closer(server, tracker));
    const url = `https://127.0.0.1:${port}/`;
    expect(await check(url, { ca: CA_FILE })).toMatchObject({ ok: true, tls: { protocol: 'TLSv1.2' } });
    expect((await check(url, { ca: CA_FILE, minVersion: 'TLSv1.3' })).kind).toBe('tls');
  });
});

describe('config: tls', () => {
  it('resolves files relative to the config file, and refuses unreadable ones naming the site and the path', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    writeFileSync(join(dir.path, 'ca.pem'), 'x');
    const text = JSON.stringify({
      sites: [
        { url: 'https://a.example/', tls: { ca: 'ca.pem', servername: 'a.internal' } },
        { url: 'https://b.example/', tls: { ca: 'missing.pem', cert: 'c.pem' } },
      ],
    });
    const file = join(dir.path, 'sites.json');
    const problems = (() => {
      try {
        parseConfig(text, file, {});
      } catch (error) {
        return (error as { problems: { path: string; message: string }[] }).problems.map(
          (p) => `${p.path}: ${p.message}`,
        );
      }
      return [];
    })();
    expect(problems).toEqual([
      'sites[1].tls.key: a client certificate needs both "cert" and "key": "key" is missing',
      `sites[1].tls.ca: cannot read "missing.pem" (${join(dir.path, 'missing.pem')}): no such file`,
      `sites[1].tls.cert: cannot read "c.pem" (${join(dir.path, 'c.pem')}): no such file`,
    ]);
    const ok = parseConfig(
      JSON.stringify({ sites: [{ url: 'https://a.example/', tls: { ca: 'ca.pem' } }] }),
      file,
      {},
    );
    expect(ok.sites[0]?.tls).toEqual({ ca: join(dir.path, 'ca.pem') });
  });

  it('masks a passphrase from ${VAR}', () => {
    const config = parseConfig(
      JSON.stringify({ sites: [{ url: 'https://a.example/', tls: { passphrase: '${KEY_PASS}' } }] }),
      'sites.json',
      { KEY_PASS: 's3cret-pass' },
    );
    expect(config.secrets).toContain('s3cret-pass');
  });

  it('validate says which settings a site has and warns about insecure ones', () => {
    const config = parseConfig(
      JSON.stringify({
        sites: [
          { url: 'https://a.example/', name: 'A', tls: { insecure: true } },
          { url: 'https://b.example/', tls: { servername: 'b.internal', minVersion: 'TLSv1.3' } },
        ],
      }),
      'sites.json',
      {},
    );
    const lines = describeConfig(config).split('\n');
    expect(lines[1]).toMatch(
      /^ {2}A \(https:\/\/a\.example\/\): .*; tls: INSECURE: the certificate is not verified$/,
    );
    expect(lines[2]).toMatch(/; tls: servername b\.internal, at least TLSv1\.3$/);
    expect(lines.at(-1)).toBe(
      'warning: tls.insecure: 1 site accepts any certificate (A); an impostor would pass as the site. Their certificates are still reported.',
    );
  });
});
