import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './pool-protocol.js';

/** One worker as the coordinator sees it, whether a thread or a process. */
export interface WorkerLink {
  id: string;
  send(msg: ToWorker): void;
  onMessage(handler: (msg: FromWorker) => void): void;
  /** Called once when the worker is gone, expectedly or not. */
  onExit(handler: (reason: string) => void): void;
  /** Stop it now (terminate the thread, SIGKILL the process). */
  kill(): void;
  /**
   * Whether the worker keeps this process alive: yes while it works for a sweep, no while a kept pool
   * waits for the next one (a daemon that forgot to close its pool still exits).
   */
  hold(busy: boolean): void;
}

export type SpawnWorker = (script: string) => WorkerLink;

/**
 * The worker entry as JavaScript. Tests run the TypeScript sources, and neither a worker thread nor a
 * forked process can start a .ts file, so from src/ the built copy in dist/ is used (npm test builds).
 */
export function workerScript(): string {
  const here = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(
    /([/\\])src([/\\])strategies([/\\])pool-worker\.js$/,
    '$1dist$2strategies$3pool-worker.js',
  );
}

/** A worker is gone once, however many of 'error' and 'exit' say so. */
function exitOnce() {
  let exited = false;
  const handlers: Array<(reason: string) => void> = [];
  return {
    exit(reason: string) {
      if (exited) return;
      exited = true;
      for (const h of handlers) h(reason);
    },
    onExit(handler: (reason: string) => void) {
      handlers.push(handler);
    },
  };
}

export const spawnThread: SpawnWorker = (script) => {
  const worker = new Worker(script);
  const { exit, onExit } = exitOnce();
  worker.on('error', (err) => exit(`thread error: ${err.message}`));
  worker.on('exit', (code) => exit(`thread exited with code ${code}`));
  return {
    id: `thread ${worker.threadId}`,
    send: (msg) => worker.postMessage(msg),
    onMessage: (handler) => worker.on('message', handler),
    onExit,
    kill: () => void worker.terminate(),
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  };
};

export const spawnProcess: SpawnWorker = (script) => {
  // JSON over IPC; no inherited --inspect or loader flags; output goes where ours goes.
  const child: ChildProcess = fork(script, [], {
    serialization: 'json',
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { exit, onExit } = exitOnce();
  child.on('error', (err) => exit(`process error: ${err.message}`));
  child.on('exit', (code, signal) => exit(`process ${child.pid} exited (${signal ?? `code ${code}`})`));
  return {
    id: `process ${child.pid}`,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (handler) => child.on('message', (m) => handler(m as FromWorker)),
    onExit,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    hold: (busy) => {
      // The IPC channel keeps the loop alive as much as the process does.
      if (busy) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    },
  };
};
