import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunArgs, RunOutput } from './run-one.js';

const runner = fileURLToPath(new URL('./contender-process.js', import.meta.url));

/**
 * Run one contender in a fresh Node process, so its CPU time and peak RSS are its own.
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles each one.
 */
export function runContender(args: RunArgs): Promise<RunOutput> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, runner], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`${args.contender} exited with ${signal ?? `code ${code}`}`));
      resolve(JSON.parse(out) as RunOutput);
    });
    child.stdin.end(JSON.stringify(args));
  });
}
