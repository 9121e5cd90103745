import { fork } from 'node:child_process';
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
  /** Serve HTTPS with this key and certificate (PEM files) instead of plain HTTP. */
  tls?: { keyFile: string; certFile: string };
}

export interface Fixture {
  urls: string[];
  /** Expected verdict per URL: true when the origin answers 200. */
  expectUp: boolean[];
  pids: number[];
  close(): Promise<void>;
}

export type Behaviour = 'ok' | '500' | '404' | 'reset' | 'refused';

export function behaviourOf(i: number, errorRate: number): Behaviour {
  // Spread the failing origins evenly through the list, deterministically.
  const failEvery = errorRate > 0 ? Math.max(1, Math.round(1 / errorRate)) : 0;
  if (failEvery === 0 || i % failEvery !== failEvery - 1) return 'ok';
  const kinds: Behaviour[] = ['500', '404', 'reset', 'refused'];
  return kinds[Math.floor(i / failEvery) % kinds.length] ?? 'ok';
}

/** One fixture process's share of the origins. */
export interface Shard {
  opts: FixtureOptions;
  /** Index of this shard's first origin in the whole fixture (behaviours follow the global index). */
  offset: number;
  count: number;
  firstHost: number;
}

/**
 * Origins per fixture process: each listening socket is a file descriptor, and a process may hold
 * 20,000 here (ulimit -n); the clients' accepted connections need some too.
 */
const PER_PROCESS = 10_000;

function startShard(shard: Shard): Promise<{ origins: string[]; child: ReturnType<typeof fork> }> {
  const child = fork(
    fileURLToPath(new URL('./fixture-process.js', import.meta.url)),
    [JSON.stringify(shard)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
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
