import { Chalk, type ChalkInstance } from 'chalk';
import type { CliIO } from '../core/io.js';
import type { CheckOptions } from '../core/site.js';

/** The options every sweeping command takes (check, bench; watch has its own mix); modes add their own. */
export interface SweepFlags {
  concurrency?: number;
  workers?: number;
  timeout?: number;
  retries?: number;
  /** DNS servers instead of the system's (check, watch). */
  dnsServer?: string[];
  json?: boolean;
  color: boolean;
}

/** `--timeout` and `--retries` as config overrides: over the config's defaults, under a site's own. */
export function checkOverrides(flags: { timeout?: number; retries?: number }): Partial<CheckOptions> {
  const overrides: Partial<CheckOptions> = {};
  if (flags.timeout !== undefined) overrides.timeoutMs = flags.timeout;
  if (flags.retries !== undefined) overrides.retries = flags.retries;
  return overrides;
}

/**
 * Colours only for a person at a terminal: never with --no-color or NO_COLOR, never when stdout is a
 * pipe or a file (FORCE_COLOR overrides that last rule).
 */
export function chalkFor(io: CliIO, color: boolean): ChalkInstance {
  const on = color && !io.env.NO_COLOR && (io.stdout.isTTY === true || Boolean(io.env.FORCE_COLOR));
  return new Chalk({ level: on ? 1 : 0 });
}
