import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ListenError } from '../../src/serve/errors.js';
import { startStatusServer } from '../../src/serve/http/server.js';
import { useCleanup } from '../helpers/cleanup.js';
import { listenLoopback } from '../helpers/sockets.js';

const { defer } = useCleanup();

describe('listening', () => {
  it('a port already in use is a clear error naming the address', async () => {
    const other = createServer();
    const port = await listenLoopback(other);
    defer(() => new Promise((resolve) => other.close(() => resolve())));
    const error = await startStatusServer({ host: '127.0.0.1', port }, () => {}).then(
      (server) => {
        defer(server.close);
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ListenError);
    expect((error as ListenError).code).toBe('US_ERR_LISTEN');
    expect((error as ListenError).message).toBe(
      `Cannot serve the status page on 127.0.0.1:${port}: the address is already in use by another program; pick another port, or stop that program`,
    );
  });

  it('an address this machine does not have is a clear error too; IPv6 addresses are bracketed', async () => {
    const error = await startStatusServer({ host: '2001:db8::1', port: 8080 }, () => {}).then(
      (server) => {
        defer(server.close);
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ListenError);
    expect((error as ListenError).message).toMatch(/^Cannot serve the status page on \[2001:db8::1\]:8080: /);
  });

  it('port 0 gets a free port, and close() releases it', async () => {
    const server = await startStatusServer({ host: '127.0.0.1', port: 0 }, (_req, res) => res.end('ok'));
    expect(server.address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
    expect(await (await fetch(server.url)).text()).toBe('ok');
    await server.close();
    const again = await startStatusServer(server.address, () => {});
    await again.close();
  });
});
