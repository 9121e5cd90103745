import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * Every error code the program throws, with the exit code the CLI gives it and what it means. A code is
 * thrown only if it is here (SquirrelError's `code` is typed by this table, and a test greps src/ for
 * `'US_ERR_` literals); the README's exit-code table follows the groups below.
 */
export const ERROR_CODES = {
  US_ERR_USAGE: [
    EXIT.usage,
    'the command line is wrong: an unknown option, a bad value, options that do not fit',
  ],
  US_ERR_CONFIG: [EXIT.usage, 'the config file is invalid; every problem is listed with its JSON path'],
  US_ERR_CONFIG_READ: [EXIT.usage, 'the config file cannot be read (missing, a directory, no permission)'],
  US_ERR_LISTEN: [
    EXIT.usage,
    'the status page cannot listen on the address given (in use, not local, no permission)',
  ],

  US_ERR_REDIS_UNREACHABLE: [EXIT.redis, 'queue mode: no connection to Redis within the bound'],
  US_ERR_REDIS_AUTH: [EXIT.redis, 'queue mode: Redis refused the credentials in the URL'],
  US_ERR_REDIS_LOST: [
    EXIT.redis,
    'queue mode: the connection to Redis failed mid-sweep and did not come back',
  ],
  US_ERR_QUEUE_NO_WORKER: [
    EXIT.redis,
    'queue mode: no worker connected to the queue within --wait-for-workers',
  ],

  US_ERR_DB_OPEN: [EXIT.store, 'the database file cannot be opened or created'],
  US_ERR_DB_MISSING: [
    EXIT.store,
    'no database at the path given (report and silence use only what watch wrote)',
  ],
  US_ERR_DB_CORRUPT: [EXIT.store, 'the database is corrupt; nothing was written to it'],
  US_ERR_DB_FOREIGN: [EXIT.store, 'the file is not an uptime-squirrel database; it was left untouched'],
  US_ERR_DB_NEWER: [EXIT.store, 'the database was written by a newer uptime-squirrel'],
  US_ERR_DB_OLDER: [EXIT.store, 'the database schema is too old for a read-only reader to use'],
  US_ERR_DB_LOCKED: [EXIT.store, 'another watch daemon is using the database'],
  US_ERR_DB_LOCK_LOST: [EXIT.store, "another process took this daemon's lock on the database"],
  US_ERR_DB_IO: [EXIT.store, 'SQLite failed while using the database (disk full, permissions)'],

  US_ERR_ABORTED: [EXIT.interrupted, 'stopped before the work was done (aborted, no signal named)'],
  US_ERR_INTERRUPTED: [EXIT.interrupted, 'stopped by SIGINT (Ctrl-C) before the work was done'],
  US_ERR_TERMINATED: [EXIT.terminated, 'stopped by SIGTERM before the work was done'],

  // Caught where they happen (a site's result, notify-test's report, the daemon's log): one that reaches
  // the CLI is a bug.
  US_ERR_NOTIFY_NETWORK: [EXIT.internal, 'notify: the channel server was not reached (retried)'],
  US_ERR_NOTIFY_TIMEOUT: [EXIT.internal, 'notify: no answer within the send timeout (retried)'],
  US_ERR_NOTIFY_AUTH: [EXIT.internal, 'notify: the SMTP server refused the credentials'],
  US_ERR_NOTIFY_SMTP: [EXIT.internal, 'notify: the SMTP server refused a command (4xx retried, 5xx not)'],
  US_ERR_NOTIFY_HTTP: [EXIT.internal, 'notify: the endpoint answered outside 2xx (5xx and 429 retried)'],
  US_ERR_NOTIFY_FAILED: [EXIT.internal, 'notify: any other failure of the transport (not retried)'],
} as const satisfies Record<string, readonly [ExitCode, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code for an error code; a code the catalogue does not know is a fault of ours. */
export function exitCodeFor(code: string): ExitCode {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode][0] : EXIT.internal;
}

/**
 * Faults of the program (not outages: a site that is down is a Result, never an exception).
 * Each has a stable `code` from the catalogue above; only the CLI turns codes into exit codes.
 */
export class SquirrelError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A usage error on the command line (bad option value, unknown mode). Exit code 2. */
export class UsageError extends SquirrelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('US_ERR_USAGE', message, options);
  }
}

/** One problem found in a config file. */
export interface ConfigProblem {
  /** JSON path such as `sites[3].timeoutMs`, or `(root)`. */
  path: string;
  /** What is wrong, what was found and what would be valid. */
  message: string;
  /** Line and column in the file, when known (JSON syntax errors). */
  line?: number;
  column?: number;
}

/** A config that cannot be used; lists every problem at once. Exit code 2. */
export class ConfigError extends SquirrelError {
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[], options?: { cause?: unknown }) {
    const lines = problems.map((p) => {
      const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
      return `  ${where}: ${p.path}: ${p.message}`;
    });
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super('US_ERR_CONFIG', `Invalid config ${file} (${count}):\n${lines.join('\n')}`, options);
    this.file = file;
    this.problems = problems;
  }
}

export class AbortedError extends SquirrelError {
  constructor() {
    super('US_ERR_ABORTED', 'the check was aborted');
  }
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Why the CLI's abort signal fired (its `reason`): the bin aborts with one on SIGINT or SIGTERM, so
 * whatever stops early can say which, and the exit code is the shell's 128 + the signal's number.
 */
export class InterruptedError extends SquirrelError {
  readonly signal: StopSignal;

  constructor(signal: StopSignal) {
    super(
      signal === 'SIGTERM' ? 'US_ERR_TERMINATED' : 'US_ERR_INTERRUPTED',
      `interrupted by ${signal}: stopped before the work was done`,
    );
    this.signal = signal;
  }

  get exitCode(): ExitCode {
    return exitCodeFor(this.code);
  }
}

/** The signal that stopped `signal`'s owner, when the bin named one. */
export function interruption(signal: AbortSignal | undefined): InterruptedError | null {
  return signal?.aborted && signal.reason instanceof InterruptedError ? signal.reason : null;
}
