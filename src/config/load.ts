/** Reading sites.json: text -> JSON -> ${VAR} -> validation -> resolved Config, every problem at once. */

import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigProblem, SquirrelError } from '../core/errors.js';
import type { CheckOptions } from '../core/site.js';
import { describeValue } from '../util/wording.js';
import { substituteEnv } from './env.js';
import { findDuplicateSites, resolveSites } from './normalize.js';
import type { Config } from './types.js';
import { validateConfig } from './validate.js';

/** Where JSON.parse stopped: its "at position N" when given, else found by parsing ever longer prefixes. */
function errorOffset(text: string, message: string): number {
  const given = /at position (\d+)/.exec(message)?.[1];
  if (given !== undefined) return Number(given);
  // Node 20 gives no position for "Unexpected token". A prefix that ends before the fault fails only
  // as "unexpected end" (or parses), one that reaches it fails for good: binary-search the first such.
  const failsForGood = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const at = /at position (\d+)/.exec((error as Error).message)?.[1];
      return !/Unexpected end/.test((error as Error).message) && (at === undefined || Number(at) < length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsForGood(middle + 1)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function syntaxProblem(text: string, error: Error): ConfigProblem {
  const offset = Math.min(errorOffset(text, error.message), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  if (text.trim() === '') {
    return { path: '(root)', message: 'the file is empty: expected a JSON list of sites', line, column };
  }
  // V8 appends the position and a quote of the text; both are given better by line and column.
  const reason = error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, .*is not valid JSON$/s, '');
  // The commonest slip when editing JSON by hand; V8 only says what it expected instead.
  const trailingComma =
    /,\s*$/.test(before) && /^[}\]]/.test(text.slice(offset)) ? ' (JSON allows no trailing comma)' : '';
  const where = offset >= text.length ? ' at the end of the file' : '';
  return { path: '(root)', message: `invalid JSON${where}: ${reason}${trailingComma}`, line, column };
}

/** Problems grouped by site in file order (stable, so each site's own order stays); others first. */
function bySite(problems: ConfigProblem[]): ConfigProblem[] {
  const site = (p: ConfigProblem) => Number(/^sites\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  return problems.sort((a, b) => site(a) - site(b));
}

/**
 * Parses and validates config text. `file` is only for messages, as the user gave it. Options resolve as
 * a site's own options over `overrides` (the command line) over `defaults` over DEFAULT_OPTIONS.
 * @throws ConfigError listing every problem found
 */
export function parseConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<CheckOptions> = {},
): Config {
  // Editors on Windows save a BOM, which JSON.parse refuses as an unexpected token.
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(file, [syntaxProblem(json, error as Error)], { cause: error });
  }
  if (typeof raw !== 'object' || raw === null) {
    const message = `expected a list of sites or an object with "sites", found ${describeValue(raw)}`;
    throw new ConfigError(file, [{ path: '(root)', message }]);
  }
  // The plain-list form is the object form without extras; wrapping it gives both the same paths (sites[i]).
  const substituted = substituteEnv(Array.isArray(raw) ? { sites: raw } : raw, env);
  const validated = validateConfig(substituted.value);
  // A value whose variable is unset is reported once, not again as the invalid text left in its place.
  const unset = substituted.problems.map((p) => p.path);
  const underUnset = (path: string) =>
    unset.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  const rawSites = (substituted.value as { sites?: unknown }).sites;
  const problems = [
    ...substituted.problems,
    ...(validated.ok ? [] : validated.problems.filter((p) => !underUnset(p.path))),
    ...findDuplicateSites(Array.isArray(rawSites) ? rawSites : []),
  ];
  if (!validated.ok || problems.length > 0) throw new ConfigError(file, bySite(problems));
  return {
    file,
    sites: resolveSites(validated.config, overrides),
    channels: validated.config.channels ?? {},
    heartbeat: validated.config.heartbeat ?? null,
    summary: validated.config.summary ?? null,
    secrets: substituted.secrets,
  };
}

/**
 * Reads and parses a config file.
 * @throws SquirrelError US_ERR_CONFIG_READ when the file cannot be read, ConfigError when it is invalid
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<CheckOptions> = {},
): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new SquirrelError(
      'US_ERR_CONFIG_READ',
      `Cannot read config file ${file}: ${reason}${code === undefined ? '' : ` (${code})`}. Create it or pass the path of your site list.`,
      { cause: error },
    );
  }
  return parseConfig(text, file, env, overrides);
}
