import { describeConfig } from '../config/describe.js';
import { loadConfig } from '../config/load.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import type { CommandAction } from './command.js';

/** Check a config and say what it holds; a ConfigError propagates to the CLI (exit 2). */
export async function runValidate(file: string, io: CliIO): Promise<void> {
  const config = await loadConfig(file, io.env);
  io.stdout.write(`${describeConfig(config)}\n`);
}

export const action: CommandAction<unknown> = async ([file], _flags, { io }) => {
  await runValidate(file as string, io);
  return EXIT.ok;
};
