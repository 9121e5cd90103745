import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { status } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { nodeRequest } from '../helpers/node-client.js';
import { caCert, tlsFixture } from '../helpers/tls.js';

let server: TestHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('TLS fixtures', () => {
  it('server: trusted with the test CA, for 127.0.0.1 and localhost', async () => {
    server = await startHttpServer(status(200), { tls: 'server' });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect((await nodeRequest(server.url, { ca: caCert() })).status).toBe(200);
    const byName = await nodeRequest(server.url, { ca: caCert(), servername: 'localhost' });
    expect(byName.status).toBe(200);
  });

  it('server: rejected without the test CA', async () => {
    server = await startHttpServer(status(200), { tls: 'server' });
    await expect(nodeRequest(server.url)).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('expired: CERT_HAS_EXPIRED even with the CA', async () => {
    server = await startHttpServer(status(200), { tls: 'expired' });
    await expect(nodeRequest(server.url, { ca: caCert() })).rejects.toMatchObject({
      code: 'CERT_HAS_EXPIRED',
    });
    expect(new Date(new X509Certificate(tlsFixture('expired').cert).validTo).getUTCFullYear()).toBe(2020);
  });

  it('self-signed: DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    server = await startHttpServer(status(200), { tls: 'self-signed' });
    await expect(nodeRequest(server.url, { ca: caCert() })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('wrong-host: ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    server = await startHttpServer(status(200), { tls: 'wrong-host' });
    await expect(nodeRequest(server.url, { ca: caCert() })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('every CA-signed fixture is issued by the CA; the rest of the chain is as documented', () => {
    const ca = new X509Certificate(caCert());
    expect(ca.ca).toBe(true);
    for (const name of ['server', 'expired', 'wrong-host'] as const) {
      expect(new X509Certificate(tlsFixture(name).cert).checkIssued(ca), name).toBe(true);
    }
    const selfSigned = new X509Certificate(tlsFixture('self-signed').cert);
    expect(selfSigned.issuer).toBe(selfSigned.subject);
    expect(selfSigned.verify(selfSigned.publicKey)).toBe(true);
    expect(new X509Certificate(tlsFixture('wrong-host').cert).subjectAltName).toBe('DNS:wrong.example');
  });
});
