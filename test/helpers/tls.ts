import { readFileSync } from 'node:fs';

/** Certificates in test/fixtures/tls; regenerate them with test/fixtures/tls/generate.sh. */
export type TlsFixtureName = 'server' | 'self-signed' | 'expired' | 'wrong-host';

const fixtures = new URL('../fixtures/tls/', import.meta.url);

function read(file: string): Buffer {
  return readFileSync(new URL(file, fixtures));
}

/**
 * 'server': signed by the test CA for localhost and 127.0.0.1; 'self-signed': for the same names;
 * 'expired': signed by the CA, ended 2020-01-01; 'wrong-host': signed by the CA for wrong.example only.
 */
export function tlsFixture(name: TlsFixtureName): { key: Buffer; cert: Buffer } {
  return { key: read(`${name}.key`), cert: read(`${name}.crt`) };
}

/** The test CA that signed every fixture except 'self-signed'; pass it as `ca` to trust them. */
export function caCert(): Buffer {
  return read('ca.crt');
}
