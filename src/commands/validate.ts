import { describeConfig } from '../config/describe.js';
import { loadConfig } from '../config/load.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import type { RegisterCommand } from './command.js';

/** Check a config and say what it holds; a ConfigError propagates to the CLI (exit 2). */
export async function runValidate(file: string, io: CliIO): Promise<void> {
  const config = await loadConfig(file, io.env);
  io.stdout.write(`${describeConfig(config)}\n`);
}

export const registerValidate: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('validate')
    .description('check a config file and list what it holds; exit 0 when valid, 2 when not')
    .argument('<sites.json>', 'the config file to check')
    .action(async (file: string) => {
      await runValidate(file, io);
      setExitCode(EXIT.ok);
    });
};
