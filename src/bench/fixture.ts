import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A local fixture of N distinct origins (ports on 127.0.0.1, then 127.0.0.2...) with a chosen latency and error
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
  pids: number[];
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
 * Runs in the fixture process: listen on N ports and report them to the parent. A raw TCP responder
 * with canned answers rather than node:http, so the fixture's own event-loop lag (which shares the
 * two cores with the client) adds as little as possible to the latencies being measured.
 */
interface Shard {
  opts: FixtureOptions;
  /** Index of this shard's first origin in the whole fixture (behaviours follow the global index). */
  offset: number;
  count: number;
  firstHost: number;
}

async function serve({ opts, offset, count, firstHost }: Shard): Promise<void> {
  const origins: string[] = [];
  let next: Origin = { host: `127.0.0.${firstHost}`, port: FIRST_PORT };
  for (let i = offset; i < offset + count; i++) {
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
    const got = await listenFrom(server, next);
    origins.push(`http://${got.host}:${got.port}/`);
    next = { host: got.host, port: got.port + 1 };
    // A refused origin: a port that was free a moment ago and has nothing listening now.
    if (behaviour === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  process.send?.({ origins });
  process.on('disconnect', () => process.exit(0));
}

/**
 * Origins per fixture process: each listening socket is a file descriptor, and a process may hold
 * 20,000 here (ulimit -n); the clients' accepted connections need some too.
 */
const PER_PROCESS = 10_000;

function startShard(shard: Shard): Promise<{ origins: string[]; child: ReturnType<typeof fork> }> {
  const child = fork(fileURLToPath(import.meta.url), ['--fixture', JSON.stringify(shard)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fixture exited early (code ${code})`)));
    child.once('message', (msg) => {
      child.removeAllListeners('exit');
      resolve({ origins: (msg as { origins: string[] }).origins, child });
    });
  });
}

function stop(child: ReturnType<typeof fork>): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** Start the fixture processes; resolves once every port listens. */
export async function startFixture(opts: FixtureOptions): Promise<Fixture> {
  const shards: Shard[] = [];
  for (let offset = 0, k = 0; offset < opts.sites; offset += PER_PROCESS, k++) {
    // Two loopback addresses per shard: a shard overflows into its second when ports are taken.
    shards.push({ opts, offset, count: Math.min(PER_PROCESS, opts.sites - offset), firstHost: 2 * k + 1 });
  }
  const started = await Promise.allSettled(shards.map(startShard));
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.child] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(children.map(stop));
    throw (failed as PromiseRejectedResult).reason;
  }
  const urls = started.flatMap((s) => (s.status === 'fulfilled' ? s.value.origins : []));
  return {
    urls,
    expectUp: urls.map((_u, i) => behaviourOf(i, opts.errorRate) === 'ok'),
    pids: children.map((c) => c.pid as number),
    close: async () => {
      await Promise.all(children.map(stop));
    },
  };
}

if (process.argv[2] === '--fixture') {
  serve(JSON.parse(process.argv[3] ?? '{}') as Shard).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
