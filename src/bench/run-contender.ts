import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AbortedError } from '../core/errors.js';
import type { RunArgs, RunOutput } from './run-one.js';

const runner = fileURLToPath(new URL('./contender-process.js', import.meta.url));

/**
 * Run one contender in a fresh Node process, so its CPU time and peak RSS are its own.
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles each one.
 * @throws AbortedError when `signal` aborts: the contender is stopped (its own workers follow it)
 */
export function runContender(args: RunArgs, signal?: AbortSignal): Promise<RunOutput> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, runner], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    // 'close', not 'exit': the whole of its output has been read by then.
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      // Stopped by us, or by a signal from outside (a kill of the process group): an abort, not a failure.
      if (signal?.aborted || killedBy === 'SIGTERM' || killedBy === 'SIGINT')
        return reject(new AbortedError());
      if (code !== 0) return reject(new Error(`${args.contender} exited with ${killedBy ?? `code ${code}`}`));
      resolve(JSON.parse(out) as RunOutput);
    });
    child.stdin.end(JSON.stringify(args));
  });
}
