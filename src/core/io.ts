/** Where a command reads and writes: the real process in the bin, buffers in tests. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM by the bin. */
  signal?: AbortSignal;
  /** Emits 'SIGHUP' (the bin passes `process`): `watch` reloads its config on it. */
  signals?: NodeJS.EventEmitter;
}
