import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for servers that cannot listen on port 0
 * themselves (e.g. redis-server). Another process may take it before the caller does; prefer
 * port 0 whenever the server supports it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port assigned'));
        else resolve(address.port);
      });
    });
  });
}

/** `http://127.0.0.1:PORT/` where nothing listens, so connecting is refused (ECONNREFUSED). */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/`;
}
