import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerCheck } from './commands/check.js';
import type { RegisterCommand } from './commands/command.js';
import { registerNotifyTest } from './commands/notify-test.js';
import { registerReport } from './commands/report.js';
import { registerValidate } from './commands/validate.js';
import { registerWatch } from './commands/watch.js';
import { registerWorker } from './commands/worker.js';
import { ConfigError, SquirrelError, UsageError } from './core/errors.js';
import { EXIT } from './core/exit-codes.js';
import type { CliIO } from './core/io.js';
import { VERSION } from './core/version.js';

export { EXIT };

/** Every command, each in its own file. Adding a command is one file and one line here. */
const COMMANDS: RegisterCommand[] = [
  registerCheck,
  registerValidate,
  registerBench,
  registerWatch,
  registerReport,
  registerWorker,
  registerNotifyTest,
];

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('uptime-squirrel')
    .description('A fast, trustworthy website uptime checker and monitor.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of COMMANDS) register(program, { io, setExitCode });
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
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

function reportError(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    // Help and version are successes; every other commander error has printed its message already.
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof ConfigError || err instanceof UsageError) {
    io.stderr.write(`error: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof SquirrelError) {
    if (err.code === 'US_ERR_ABORTED') {
      io.stderr.write('interrupted: the sweep was stopped before it finished\n');
      return EXIT.interrupted;
    }
    io.stderr.write(`error: ${err.message}\n`);
    return err.code.startsWith('US_ERR_CONFIG') ? EXIT.usage : EXIT.internal;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr.write(`internal error (please report it): ${message}\n`);
  return EXIT.internal;
}
