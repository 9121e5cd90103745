/** Reading sites.json: text -> JSON or YAML -> ${VAR} -> validation -> resolved Config, every problem at once. */

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigProblem, SquirrelError } from '../core/errors.js';
import type { CheckOptions } from '../core/site.js';
import { describeValue } from '../util/wording.js';
import { substituteEnv } from './env.js';
import { findDuplicateSites, resolveSites } from './normalize.js';
import { DEFAULT_OFFLINE_RULE } from './offline-sections.js';
import { parsePath } from './path.js';
import type { Locate } from './read-result.js';
import { resolveTlsPaths, siteTlsProblems } from './site-tls.js';
import { DEFAULT_STATUS_PAGE } from './status-sections.js';
import { readConfigText } from './syntax.js';
import type { Config } from './types.js';
import { validateConfig } from './validate.js';

/** The problem with the line and column of its path, where the format keeps them (YAML). */
function located(problem: ConfigProblem, locate: Locate | undefined): ConfigProblem {
  const path = locate === undefined ? null : parsePath(problem.path);
  const position = path === null ? undefined : locate?.(path);
  return position === undefined ? problem : { ...problem, ...position };
}

/** Problems grouped by site in file order (stable, so each site's own order stays); others first. */
function bySite(problems: ConfigProblem[]): ConfigProblem[] {
  const site = (p: ConfigProblem) => Number(/^sites\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  return problems.sort((a, b) => site(a) - site(b));
}

/**
 * Parses and validates config text. `file` is only for messages, as the user gave it. Options resolve as
 * `overrides` (the command line) over a site's own options over `defaults` over DEFAULT_OPTIONS.
 * @throws ConfigError listing every problem found
 */
export function parseConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<CheckOptions> = {},
): Config {
  const read = readConfigText(text, file);
  if (!read.ok) throw new ConfigError(file, read.problems, { cause: read.cause });
  const raw = read.value;
  if (typeof raw !== 'object' || raw === null) {
    const message = `expected a list of sites or an object with "sites", found ${describeValue(raw)}`;
    throw new ConfigError(file, [{ path: '(root)', message, ...read.locate?.([]) }]);
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
    ...siteTlsProblems(substituted.value, dirname(resolve(file))),
  ];
  if (!validated.ok || problems.length > 0) {
    throw new ConfigError(file, bySite(problems.map((p) => located(p, read.locate))));
  }
  return {
    file,
    sites: resolveSites(validated.config, overrides).map((site) =>
      site.tls === undefined ? site : { ...site, tls: resolveTlsPaths(site.tls, dirname(resolve(file))) },
    ),
    channels: validated.config.channels ?? {},
    heartbeat: validated.config.heartbeat ?? null,
    summary: validated.config.summary ?? null,
    connectivity: validated.config.connectivity ?? null,
    // Absent means the rule with its defaults; only `false` turns it off (null).
    offline: validated.config.offline === undefined ? { ...DEFAULT_OFFLINE_RULE } : validated.config.offline,
    server: validated.config.server ?? null,
    statusPage: validated.config.statusPage ?? { ...DEFAULT_STATUS_PAGE },
    maintenance: validated.config.maintenance ?? [],
    timeZone: validated.config.timezone ?? null,
    locations: validated.config.locations ?? null,
    quorum: validated.config.quorum ?? null,
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
