import { spawn } from 'node:child_process';
import { binPath, repoRoot } from '../helpers/processes.js';

/**
 * The built bin left running, for tests that act on it while it works (signals): its output so far, and
 * how it ended. `runBin` (helpers/processes.ts) is for runs that end on their own.
 */
export interface RunningBin {
  pid: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process is gone and its pipes are closed. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL if still running: for the test's cleanup. */
  stop(): Promise<void>;
}

export function startRunningBin(args: string[], env: Record<string, string> = {}): RunningBin {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: repoRoot,
    // A parent's colour settings must not leak into the child.
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid as number,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    kill: (signal) => {
      child.kill(signal);
    },
    stop: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs any program to its end (`script`, `npm`) and collects its output; killed past `timeoutMs`. */
export function runProgram(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} did not finish in time\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
