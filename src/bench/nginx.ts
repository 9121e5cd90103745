import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';

/**
 * nginx on loopback answering `200` at once, on `count` ports (distinct origins): the "fast sites" of
 * the bench, a real server that answers in well under a millisecond. Debian's `nginx-light`.
 */
export const NGINX_BIN = '/usr/sbin/nginx';

export function nginxMissing(): string | null {
  return existsSync(NGINX_BIN) ? null : `${NGINX_BIN} is missing (apt-get install nginx-light)`;
}

/** `count` ports that were free together a moment ago (held open at once, so no two are the same). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startNginx(
  dir: string,
  count: number,
): Promise<{ urls: string[]; close(): Promise<void> }> {
  const root = join(dir, 'nginx');
  await mkdir(join(root, 'tmp'), { recursive: true });
  const ports = await freePorts(count);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (t) => `  ${t}_temp_path ${root}/tmp/${t};`,
  );
  await writeFile(
    join(root, 'nginx.conf'),
    [
      'worker_processes 1;',
      'daemon off;',
      'master_process off;',
      `pid ${root}/nginx.pid;`,
      `error_log ${root}/error.log;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      ...temp,
      '  server {',
      ...ports.map((p) => `    listen 127.0.0.1:${p};`),
      '    location / { return 200; }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  // master_process off: one process, nothing forked behind our back; it is stopped by its own PID.
  const child = spawn(
    NGINX_BIN,
    ['-p', root, '-c', join(root, 'nginx.conf'), '-e', join(root, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = performance.now() + 10_000;
  while (!(await answers(ports[ports.length - 1] as number))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await close();
      throw new Error('nginx did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { urls: ports.map((p) => `http://127.0.0.1:${p}/`), close };
}
