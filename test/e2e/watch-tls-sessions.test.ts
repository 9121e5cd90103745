/** `watch` through the real binary resumes its TLS handshakes from the second sweep on. */

import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, writeJson } from '../helpers/processes.js';
import { tlsFixture } from '../helpers/tls.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';

// These tests run the built program (dist/): `npm test` builds it first.

const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await killAll();
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('watch: TLS sessions', () => {
  it('the server sees a full handshake on the first sweep, then resumed ones', async () => {
    const handshakes: string[] = [];
    const server = createServer(tlsFixture('server'), (_req, res) => res.end());
    server.on('secureConnection', (s: TLSSocket) =>
      handshakes.push(s.isSessionReused() ? 'resumed' : 'full'),
    );
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const dir = await tempDir();
    closers.push(dir.cleanup);
    const { port } = server.address() as AddressInfo;
    const config = await writeJson(dir.path, 'sites.json', [`https://localhost:${port}/`]);

    const daemon = spawnWatch([config, '--schedule', '* * * * * *', '--db', `${dir.path}/db.sqlite`], {
      env: { NODE_EXTRA_CA_CERTS: CA_FILE },
    });
    await waitForCount(daemon, /sweep #\d+: 1 up/, 3, 15_000);

    expect(handshakes[0]).toBe('full');
    expect(handshakes.slice(1, 3)).toEqual(['resumed', 'resumed']);
  });
});
