/** The certificate's expiry on https results (the status page's days left, the certificate metric). */

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { startHttpServer } from '../helpers/http-server.js';
import { caCert, tlsFixture } from '../helpers/tls.js';

const { defer } = useCleanup();

function context() {
  const client = new HttpClient({ ca: caCert() });
  defer(() => client.close());
  return { client, userAgent: USER_AGENT, retryDelayMs: 50 };
}

/** notAfter of a PEM certificate, as openssl reads it (independent of the code under test). */
function notAfter(pem: string | Buffer): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: pem, encoding: 'utf8' });
  return new Date(out.trim().replace(/^notAfter=/, '')).toISOString();
}

describe('probe: certificate expiry', () => {
  it('an https result says when the certificate of its connection expires', async () => {
    const server = await startHttpServer(status(200), { tls: 'server' });
    defer(server.close);
    const result = await probe(site(`${server.url}/`), context());
    expect(result.ok).toBe(true);
    expect(result.certExpiresAt).toBe(notAfter(tlsFixture('server').cert));
  });

  it('an http result has no such field (check --json stays as it was)', async () => {
    const server = await startHttpServer(status(200));
    defer(server.close);
    const result = await probe(site(`${server.url}/`), context());
    expect(result.ok).toBe(true);
    expect(result).not.toHaveProperty('certExpiresAt');
  });
});
