import { Command, CommanderError } from 'commander';
import { COMMANDS } from './cli-options.js';
import { exitCodeFor, interruption, SquirrelError } from './core/errors.js';
import { EXIT } from './core/exit-codes.js';
import type { CliIO } from './core/io.js';
import { VERSION } from './core/version.js';

/** For the bin: the reason it aborts with on SIGINT/SIGTERM, and the exit code of each. */
export { InterruptedError } from './core/errors.js';
export { EXIT };

/**
 * The program with every command declared (src/cli-options.ts). A command's own code is imported only
 * when it runs, so `--help`, `--version` and `validate` never load SQLite, BullMQ or nodemailer.
 * `setExitCode` receives what the action that ran decided.
 */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void = () => {}): Command {
  const program = new Command('uptime-squirrel')
    .description('A fast, trustworthy website uptime checker and monitor.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.description);
    for (const [name, what] of spec.arguments ?? []) command.argument(name, what);
    for (const option of spec.options()) command.addOption(option);
    if (spec.notes !== undefined) command.addHelpText('after', `\n${spec.notes}`);
    command.exitOverride().configureOutput(program.configureOutput());
    command.action(async () => {
      const { action } = await spec.load();
      const given = (attribute: string) => command.getOptionValueSource(attribute) === 'cli';
      // commander's values are untyped; each action's flags type lists what its options declare.
      const flags = command.opts() as never;
      setExitCode(await action(command.processedArgs as Array<string | undefined>, flags, { io, given }));
    });
  }
  return program;
}

/** Run the CLI in-process; returns the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, io);
  }
}

/** What the user reads, and the exit code: from the error's code in the catalogue (core/errors.ts). */
function reportError(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    // Help and version are successes; every other commander error has printed its message already.
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof SquirrelError) {
    // Whatever stopped on the abort, the signal behind it decides the exit code: 130 or 143.
    const stop = err.code === 'US_ERR_ABORTED' ? interruption(io.signal) : null;
    const exit = exitCodeFor(stop?.code ?? err.code);
    if (exit === EXIT.interrupted || exit === EXIT.terminated) {
      io.stderr.write(
        `${stop === null ? 'interrupted' : `interrupted by ${stop.signal}`}: stopped before it finished\n`,
      );
    } else if (exit === EXIT.internal) io.stderr.write(`internal error (please report it): ${err.stack}\n`);
    else io.stderr.write(`error: ${err.message}\n`);
    return exit;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr.write(`internal error (please report it): ${message}\n`);
  return EXIT.internal;
}
