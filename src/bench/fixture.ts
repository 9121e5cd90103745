import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A local fixture of N distinct origins (N ports on 127.0.0.1) with a chosen latency and error
 * mix, run in its own process so its CPU never counts against the client being measured.
 */
export interface FixtureOptions {
  sites: number;
  latencyMs: number;
  /** Share of origins that fail (0..1), split evenly over 500, 404, reset and refused. */
  errorRate: number;
}

export interface Fixture {
  urls: string[];
  /** Expected verdict per URL: true when the origin answers 200. */
  expectUp: boolean[];
  pid: number;
  close(): Promise<void>;
}

type Behaviour = 'ok' | '500' | '404' | 'reset' | 'refused';

function behaviourOf(i: number, errorRate: number): Behaviour {
  // Spread the failing origins evenly through the list, deterministically.
  const failEvery = errorRate > 0 ? Math.max(1, Math.round(1 / errorRate)) : 0;
  if (failEvery === 0 || i % failEvery !== failEvery - 1) return 'ok';
  const kinds: Behaviour[] = ['500', '404', 'reset', 'refused'];
  return kinds[Math.floor(i / failEvery) % kinds.length] ?? 'ok';
}

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

function listenFrom(server: net.Server, from: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = (port: number) => {
      if (port > LAST_PORT) return reject(new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT}`));
      const onListening = () => {
        server.off('error', onError);
        resolve(port);
      };
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') attempt(port + 1);
        else reject(err);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1', 2048);
    };
    attempt(from);
  });
}

/**
 * Runs in the fixture process: listen on N ports and report them to the parent. A raw TCP responder
 * with canned answers rather than node:http, so the fixture's own event-loop lag (which shares the
 * two cores with the client) adds as little as possible to the latencies being measured.
 */
async function serve(opts: FixtureOptions): Promise<void> {
  const ports: number[] = [];
  let port = FIRST_PORT;
  for (let i = 0; i < opts.sites; i++) {
    const behaviour = behaviourOf(i, opts.errorRate);
    const server = net.createServer((socket) => {
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
    });
    port = await listenFrom(server, port);
    ports.push(port++);
    // A refused origin: a port that was free a moment ago and has nothing listening now.
    if (behaviour === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  process.send?.({ ports });
  process.on('disconnect', () => process.exit(0));
}

/** Start the fixture process; resolves once every port listens. */
export function startFixture(opts: FixtureOptions): Promise<Fixture> {
  const child = fork(fileURLToPath(import.meta.url), ['--fixture', JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fixture exited early (code ${code})`)));
    child.once('message', (msg) => {
      const { ports } = msg as { ports: number[] };
      resolve({
        urls: ports.map((p) => `http://127.0.0.1:${p}/`),
        expectUp: ports.map((_p, i) => behaviourOf(i, opts.errorRate) === 'ok'),
        pid: child.pid as number,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

if (process.argv[2] === '--fixture') {
  serve(JSON.parse(process.argv[3] ?? '{}') as FixtureOptions).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
