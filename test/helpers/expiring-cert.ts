import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closer, listenLoopback, trackSockets } from './sockets.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));

/** A leaf certificate and its key, PEM. */
export interface IssuedCert {
  key: Buffer;
  cert: Buffer;
}

/**
 * A certificate for localhost and 127.0.0.1, signed by the test CA (test/helpers/tls.ts caCert), valid
 * from now for `days` days: made by openssl for each call, since an expiry relative to today cannot be
 * committed. `name` is its CN, so two certificates for the same day count differ; `altNames` null: none,
 * so that clients check the CN.
 */
export function issueCert(
  days: number,
  name = `expires-in-${days}-days`,
  usage: 'serverAuth' | 'clientAuth' = 'serverAuth',
  altNames: string | null = 'DNS:localhost, IP:127.0.0.1',
): IssuedCert {
  const dir = mkdtempSync(join(tmpdir(), 'us-cert-'));
  try {
    const key = join(dir, 'leaf.key');
    const csr = join(dir, 'leaf.csr');
    const crt = join(dir, 'leaf.crt');
    const ext = join(dir, 'leaf.ext');
    writeFileSync(
      ext,
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        `extendedKeyUsage = ${usage}`,
        ...(altNames === null ? [] : [`subjectAltName = ${altNames}`]),
      ].join('\n'),
    );
    const openssl = (...args: string[]) =>
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key);
    openssl('req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', csr);
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(FIXTURES, 'ca.crt'),
      '-CAkey',
      join(FIXTURES, 'ca.key'),
      '-set_serial',
      String(Date.now() * 1000 + Math.floor(Math.random() * 1000)),
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      ext,
      '-out',
      crt,
    );
    return { key: readFileSync(key), cert: readFileSync(crt) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CertServer {
  url: string;
  /** Which certificate the next handshakes present, by index in the list given. */
  serve(index: number): void;
  close(): Promise<void>;
}

/**
 * An https server on 127.0.0.1 answering 200 with the certificates given, the first by default: `serve(i)`
 * switches the certificate presented from the next handshake on (as a CDN's nodes serving two do).
 * `alternate` presents them in turn, one handshake each.
 */
export async function startCertServer(
  certs: IssuedCert[],
  opts: { alternate?: boolean } = {},
): Promise<CertServer> {
  let current = 0;
  let handshakes = 0;
  const contexts = certs.map((c) => ({ key: c.key, cert: c.cert }));
  const server: Server = createServer(
    {
      ...contexts[0],
    },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    },
  );
  // The certificate of each handshake: chosen per connection, before the handshake starts.
  server.prependListener('connection', () => {
    const index = opts.alternate ? handshakes++ % certs.length : current;
    server.setSecureContext(contexts[index] as IssuedCert);
  });
  const tracker = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    url: `https://127.0.0.1:${port}/`,
    serve: (index) => {
      current = index;
    },
    close: closer(server, tracker),
  };
}
