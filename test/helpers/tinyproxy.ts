import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface TestProxy {
  /** `http://127.0.0.1:PORT`, without credentials. */
  url: string;
  port: number;
  /** The request lines the proxy received, in order: `CONNECT 127.0.0.1:PORT HTTP/1.1`, `HEAD http://... HTTP/1.1`. */
  readonly requests: string[];
  /** Resolves once the proxy has logged `count` requests (what it logs comes a moment after it acts). */
  waitForRequests(count: number): Promise<string[]>;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the process is gone. Safe to call twice. */
  close(): Promise<void>;
}

const READY = 'Accepting connections';
const REQUEST = /Request \(file descriptor \d+\): (.+)$/;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A real tinyproxy (Debian's package; scripts/ensure-test-deps.sh installs it) on 127.0.0.1 and a port
 * that was free a moment ago, in the foreground with a config of its own in a temporary folder: any
 * CONNECT port allowed, no Via header, `auth` for Basic credentials (then a request without them gets
 * 407). Ready once it logs that it accepts connections; another port is tried if it could not bind.
 */
export async function startTinyproxy(
  opts: { auth?: { user: string; password: string } } = {},
): Promise<TestProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'squirrel-proxy-'));
  let lastOutput = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, 'tinyproxy.conf');
    const lines = [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'MaxClients 50',
      // Info: readiness ("Accepting connections") and each request line, which is what `requests` reads.
      'LogLevel Info',
      'DisableViaHeader Yes',
      ...(opts.auth ? [`BasicAuth ${opts.auth.user} ${opts.auth.password}`] : []),
    ];
    await writeFile(config, `${lines.join('\n')}\n`);
    const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const requests: string[] = [];
    const waiters = new Set<() => void>();
    let output = '';
    let pending = '';
    const onText = (text: string) => {
      output += text;
      pending += text;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        const m = REQUEST.exec(line);
        if (m?.[1]) requests.push(m[1]);
      }
      for (const wake of waiters) wake();
    };
    child.stdout?.setEncoding('utf8').on('data', onText);
    child.stderr?.setEncoding('utf8').on('data', onText);
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited(child);
        clearTimeout(killer);
      }
    };
    const ready = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => done(false), 5000);
      const check = () => {
        if (output.includes(READY)) done(true);
      };
      const done = (ok: boolean) => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(ok);
      };
      waiters.add(check);
      child.once('exit', () => done(false));
      child.once('error', (err) =>
        reject(
          new Error(
            `cannot start tinyproxy (is it installed? see scripts/ensure-test-deps.sh): ${err.message}`,
          ),
        ),
      );
      check();
    });
    if (ready) {
      let closing: Promise<void> | undefined;
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        waitForRequests(count) {
          return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(
                new Error(
                  `tinyproxy logged ${requests.length} of ${count} requests: ${requests.join(' | ')}`,
                ),
              );
            }, 5000);
            const check = () => {
              if (requests.length < count) return;
              clearTimeout(timer);
              waiters.delete(check);
              resolve(requests);
            };
            waiters.add(check);
            check();
          });
        },
        close() {
          closing ??= stop().then(() => rm(dir, { recursive: true, force: true }));
          return closing;
        },
      };
    }
    lastOutput = output.trim();
    await stop();
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`tinyproxy did not start: ${lastOutput}`);
}
