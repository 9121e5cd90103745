import { type ChildProcess, spawn } from 'node:child_process';

/** A system service a test starts (redis-server, prometheus): its process, what it printed, how to stop it. */
export interface ServiceProcess {
  child: ChildProcess;
  /** stdout and stderr so far, for the error when it does not start. */
  output(): string;
  /** Resolves when the program cannot be started at all (not installed). */
  spawnError: Promise<Error>;
  /** SIGTERM by PID, SIGKILL after `killAfterMs`; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export function spawnService(command: string, args: string[], killAfterMs: number): ServiceProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => {
    output += t;
  });
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    output += t;
  });
  return {
    child,
    output: () => output,
    spawnError: new Promise<Error>((resolve) => child.once('error', resolve)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited(child);
      clearTimeout(killer);
    },
  };
}
