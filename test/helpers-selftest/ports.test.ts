import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nodeRequest } from '../helpers/node-client.js';
import { freePort, refusedUrl } from '../helpers/ports.js';

describe('ports', () => {
  it('freePort() gives a port that can be listened on at 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('refusedUrl() is refused', async () => {
    const url = await refusedUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(nodeRequest(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
