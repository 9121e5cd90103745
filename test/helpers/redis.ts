import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { freePort } from './ports.js';
import { spawnService } from './service-process.js';

export interface TestRedis {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  pid: number;
  /** Sends a command and resolves with the raw RESP reply (for FLUSHALL, KEYS and the like in tests). */
  command(...args: string[]): Promise<string>;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** One RESP request on a fresh connection; resolves with the whole reply once it stops arriving. */
function send(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    let quiet: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis on port ${port}: no reply to ${args[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (text: string) => {
      reply += text;
      // A reply may come in several chunks: wait for a short silence after the last one.
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }, 20);
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/**
 * A real redis-server (Debian's package; scripts/ensure-test-deps.sh installs it) on 127.0.0.1 and a
 * port that was free a moment ago, with no persistence. Another process may take the port between
 * freePort() and redis-server's bind: then it exits at once, and another port is tried.
 */
export async function startRedis(): Promise<TestRedis> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { child, output, spawnError, stop } = spawnService(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        tmpdir(),
        '--loglevel',
        'warning',
      ],
      2000,
    );
    const pid = child.pid;
    const until = Date.now() + 5000;
    while (Date.now() < until && child.exitCode === null && pid !== undefined) {
      const ready = await Promise.race([
        send(port, ['PING'], 500).then(
          (r) => r.startsWith('+PONG'),
          () => false,
        ),
        spawnError.then((err) => {
          throw new Error(
            `cannot start redis-server (is it installed? see scripts/ensure-test-deps.sh): ${err.message}`,
          );
        }),
      ]);
      if (ready) {
        return {
          url: `redis://127.0.0.1:${port}`,
          port,
          pid,
          command: (...args) => send(port, args),
          stop,
        };
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    lastError = output().trim();
    await stop();
  }
  throw new Error(`redis-server did not start: ${lastError}`);
}
