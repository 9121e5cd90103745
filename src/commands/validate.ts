import { describeConfig } from '../config/describe.js';
import { loadConfig } from '../config/load.js';
import type { CliIO } from './io.js';

/** Check a config and say what it holds; a ConfigError propagates to the CLI (exit 2). */
export async function runValidate(file: string, io: CliIO): Promise<void> {
  const config = await loadConfig(file, io.env);
  io.stdout.write(`${describeConfig(config)}\n`);
}
