/**
 * Faults of the program (not outages: a site that is down is a Result, never an exception).
 * Each has a stable `code`; the CLI maps codes to exit codes, library code only throws.
 */
export class SquirrelError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
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
