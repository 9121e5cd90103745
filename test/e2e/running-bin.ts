import { spawn } from 'node:child_process';
import { binPath, repoRoot } from '../helpers/processes.js';

/**
 * A program left running, for tests that act on it while it works (signals): its output so far, and how
 * it ended. `runBin` (helpers/processes.ts) is for runs of the bin that end on their own.
 */
export interface Running {
  pid: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process is gone and its pipes are closed (by every process that held them). */
  exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL if still running: for the test's cleanup. */
  stop(): Promise<void>;
}

export function startProgram(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Running {
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
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.once('error', reject);
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
      await exited.catch(() => {});
    },
  };
}

/** The built bin, left running. A parent's colour settings do not leak into it. */
export function startRunningBin(args: string[], env: Record<string, string> = {}): Running {
  return startProgram(process.execPath, [binPath, ...args], {
    env: { NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
}

/** Runs any program to its end (`script`, `npm`) and collects its output; killed past `timeoutMs`. */
export async function runProgram(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startProgram(command, args, opts);
  const timer = setTimeout(() => void run.stop(), opts.timeoutMs ?? 30_000);
  const { code, signal } = await run.exited.finally(() => clearTimeout(timer));
  if (signal === 'SIGKILL') {
    throw new Error(
      `${command} ${args.join(' ')} did not finish in time\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return { code, stdout: run.stdout, stderr: run.stderr };
}
