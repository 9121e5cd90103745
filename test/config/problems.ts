/** What the config tests share: the problems a config is refused with. */

import { parseConfig } from '../../src/config/load.js';
import { ConfigError, type ConfigProblem } from '../../src/core/errors.js';

/** The problems `text` is refused with (read as `file` says: JSON, YAML or sniffed); throws if accepted. */
export function configProblems(
  text: string,
  file = 'sites.json',
  env: NodeJS.ProcessEnv = {},
): ConfigProblem[] {
  try {
    parseConfig(text, file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

/** `config` written as JSON, refused: one `path: message` line per problem. */
export function problemLines(config: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  return configProblems(JSON.stringify(config), 'sites.json', env).map((p) => `${p.path}: ${p.message}`);
}
