import type { Command } from 'commander';
import type { CliIO } from '../core/io.js';

/** What a command file needs from the CLI: where to write, and how to report its exit code. */
export interface CommandContext {
  io: CliIO;
  setExitCode(code: number): void;
}

/** Each command lives in its own file and adds itself to the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
