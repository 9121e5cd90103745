import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { behaviourOf, type Shard } from './fixture.js';

/**
 * Entry of a fixture process, forked by startFixture (fixture.ts) with its shard as the argument: listens
 * on the shard's ports and reports them to the parent. A file of its own so that nothing starts servers
 * by being imported.
 */

const RESPONSES: Record<string, Buffer> = {
  ok: Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
  '500': Buffer.from('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
  '404': Buffer.from('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
};

/**
 * Fixed ports below Linux's ephemeral range (32768-60999), not port 0: with 10,000 origins, port 0
 * draws from the same range as the client's own sockets and the previous run's TIME_WAIT entries,
 * and a second run within a minute of the first fails with EADDRINUSE.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_767;
/** Past one address's ports, the next loopback address (127.0.0.0/8 is all loopback on Linux). */
const MAX_HOSTS = 32;

interface Origin {
  host: string;
  port: number;
}

function listenFrom(server: net.Server, from: Origin): Promise<Origin> {
  return new Promise((resolve, reject) => {
    const attempt = ({ host, port }: Origin) => {
      if (port > LAST_PORT) {
        const next = Number(host.split('.')[3]) + 1;
        if (next > MAX_HOSTS) return reject(new Error(`no free port on 127.0.0.1-${MAX_HOSTS}`));
        return attempt({ host: `127.0.0.${next}`, port: FIRST_PORT });
      }
      const onListening = () => {
        server.off('error', onError);
        resolve({ host, port });
      };
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') attempt({ host, port: port + 1 });
        else reject(err);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host, 2048);
    };
    attempt(from);
  });
}

/**
 * Listen on N ports and report them to the parent (HTTPS when the shard has a certificate). A raw responder
 * with canned answers rather than node:http, so the fixture's own event-loop lag (which shares the
 * two cores with the client) adds as little as possible to the latencies being measured.
 */
async function serve({ opts, offset, count, firstHost }: Shard): Promise<void> {
  const origins: string[] = [];
  // One context for every port: the certificate is parsed once, and handshakes cost what a server's do.
  const secureContext = opts.tls
    ? tls.createSecureContext({ key: readFileSync(opts.tls.keyFile), cert: readFileSync(opts.tls.certFile) })
    : null;
  const scheme = secureContext ? 'https' : 'http';
  let next: Origin = { host: `127.0.0.${firstHost}`, port: FIRST_PORT };
  for (let i = offset; i < offset + count; i++) {
    const behaviour = behaviourOf(i, opts.errorRate);
    const onConnection = (socket: net.Socket) => {
      socket.on('error', () => {});
      let head = '';
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        const answer = () => {
          if (socket.destroyed) return;
          if (behaviour === 'reset') return void socket.resetAndDestroy();
          socket.end(RESPONSES[behaviour] as Buffer);
        };
        if (opts.latencyMs > 0) setTimeout(answer, opts.latencyMs);
        else answer();
      };
      socket.on('data', onData);
    };
    // TLS: one net.Server per port, each accepted socket wrapped with the shared context (a tls.Server
    // would build a context of its own per port: 10,000 of them).
    const server = net.createServer((raw) => {
      if (!secureContext) return onConnection(raw);
      raw.on('error', () => {});
      onConnection(new tls.TLSSocket(raw, { isServer: true, secureContext }));
    });
    const got = await listenFrom(server, next);
    origins.push(`${scheme}://${got.host}:${got.port}/`);
    next = { host: got.host, port: got.port + 1 };
    // A refused origin: a port that was free a moment ago and has nothing listening now.
    if (behaviour === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  process.send?.({ origins });
  process.on('disconnect', () => process.exit(0));
}

serve(JSON.parse(process.argv[2] ?? '{}') as Shard).catch((err) => {
  console.error(err);
  process.exit(1);
});
