import { Command, CommanderError, Option } from 'commander';
import { options } from './cli-options.js';
import { runCheck } from './commands/check.js';
import type { CliIO } from './commands/io.js';
import { runValidate } from './commands/validate.js';
import { ConfigError, SquirrelError, UsageError } from './errors.js';
import { MODE_NAMES, STRATEGIES } from './strategies/index.js';
import { VERSION } from './version.js';

/** Exit codes: the only place they are decided. Documented in the README. */
export const EXIT = { ok: 0, down: 1, usage: 2, internal: 3, interrupted: 130 } as const;

function modeOption(): Option {
  const help = MODE_NAMES.map((m) => `${m}: ${STRATEGIES[m].description}`).join('; ');
  return new Option('-m, --mode <mode>', `how checks run concurrently (${help})`)
    .choices(MODE_NAMES)
    .default('async');
}

function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command('uptime-squirrel')
    .description('A fast, trustworthy website uptime checker and monitor.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('check')
    .description(
      'check every site once; exit 0 when all are up, 1 when any is down, 2 on a usage or config error',
    )
    .argument('<sites.json>', 'site list: a JSON array of URLs or an object with "sites"')
    .addOption(modeOption())
    .addOption(options.concurrency())
    .addOption(options.timeout())
    .addOption(options.retries())
    .addOption(options.json())
    .addOption(options.noColor())
    .addOption(options.quiet())
    .action(async (file: string, flags) => {
      const report = await runCheck(file, flags, io);
      setCode(report.summary.down > 0 ? EXIT.down : EXIT.ok);
    });

  program
    .command('validate')
    .description('check a config file and list what it holds; exit 0 when valid, 2 when not')
    .argument('<sites.json>', 'the config file to check')
    .action(async (file: string) => {
      await runValidate(file, io);
      setCode(EXIT.ok);
    });

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
