import type { CliIO } from '../core/io.js';

/** What a command's action gets besides its arguments and flags. */
export interface CommandContext {
  io: CliIO;
  /** Whether an option was given on the command line (not a default, not the environment). */
  given(attribute: string): boolean;
}

/**
 * What a command does once chosen, loaded only then (src/cli-options.ts declares its options):
 * its positional arguments, the flags commander parsed; resolves with the exit code.
 */
export type CommandAction<Flags> = (
  args: ReadonlyArray<string | undefined>,
  flags: Flags,
  ctx: CommandContext,
) => Promise<number>;
