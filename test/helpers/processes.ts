import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = join(repoRoot, 'bin', 'uptime-squirrel.js');

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  /** Merged over process.env; set NO_COLOR / FORCE_COLOR here as the test needs. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (it is closed at once without input). */
  input?: string;
  /** Default 30 s; past it the child is killed with SIGKILL and the promise rejects. */
  timeoutMs?: number;
  /** Default: the repository root. */
  cwd?: string;
}

/** Runs `node bin/uptime-squirrel.js ...args` and collects its output. */
export function runBin(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runNode(binPath, args, opts);
}

/** Runs `node script ...args` the way runBin does; for scripts other than the bin. */
export function runNode(script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    // EPIPE when the program exits without reading its input is not the test's concern.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input);

    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone between the timer firing and the kill.
        }
      }
      // A grandchild holding the pipes open must not keep the test waiting for 'close'.
      child.stdout.destroy();
      child.stderr.destroy();
      reject(
        new Error(
          `node ${[script, ...args].join(' ')} did not finish within ${timeoutMs} ms and was killed\n` +
            `stdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);

    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** A fresh, empty folder under the OS temp folder and a function that deletes it. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'uptime-squirrel-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes `value` as pretty JSON to `dir/name` and returns the file's path. */
export async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
