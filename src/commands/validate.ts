import { describeConfig } from '../config/describe.js';
import { loadConfig } from '../config/load.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { capYoungGeneration } from '../util/young-generation.js';
import type { CommandAction } from './command.js';

/** Check a config and say what it holds; a ConfigError propagates to the CLI (exit 2). */
export async function runValidate(file: string, io: CliIO): Promise<void> {
  // Loading a long list allocates fast: held small meanwhile, the young generation does not grow to 2 x 16 MB.
  const loaded = await capYoungGeneration(file);
  const config = await loadConfig(file, io.env);
  loaded();
  io.stdout.write(`${describeConfig(config)}\n`);
}

export const action: CommandAction<unknown> = async ([file], _flags, { io }) => {
  await runValidate(file as string, io);
  return EXIT.ok;
};
