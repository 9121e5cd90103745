import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A local CA and a server certificate it signed, both ECDSA P-256, as PEM files. */
export interface BenchCa {
  /** The CA certificate: what each contender is told to trust. */
  caFile: string;
  keyFile: string;
  certFile: string;
}

/** The fixture listens on 127.0.0.1 to 127.0.0.32 (fixture-process.ts): one certificate names them all. */
const HOSTS = 32;

/**
 * Make a CA and a server certificate for the fixture's addresses (and localhost) in `dir`, with the
 * openssl command line. ECDSA because that is what most public sites serve now; valid for two days.
 */
export async function makeBenchCa(dir: string): Promise<BenchCa> {
  const f = (name: string) => join(dir, name);
  const sans = ['DNS:localhost', ...Array.from({ length: HOSTS }, (_, i) => `IP:127.0.0.${i + 1}`)];
  await writeFile(
    f('leaf.ext'),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`,
  );
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  await ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=uptime-squirrel bench CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'ca.crt',
  );
  await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key');
  await ssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=127.0.0.1', '-out', 'leaf.csr');
  await ssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.crt',
  );
  return { caFile: f('ca.crt'), keyFile: f('leaf.key'), certFile: f('leaf.crt') };
}
