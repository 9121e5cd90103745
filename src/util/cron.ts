/** Cron expressions, checked with the same library that runs them. */

import { createRequire } from 'node:module';

/**
 * The cron package (CommonJS), loaded on the first check: with luxon it costs ~30 ms of start-up, and
 * every command declares `--schedule` (src/cli-options.ts) while only `watch` reads it.
 */
let cron: typeof import('cron') | null = null;

/** Why a cron expression cannot be used, or null when it can. */
export function checkSchedule(expression: string): string | null {
  const text = expression.trim();
  const fields = text.split(/\s+/).length;
  if (!text.startsWith('@') && (fields < 5 || fields > 6)) {
    return `expected 5 fields (minute hour day month weekday) or 6 with seconds first, found ${fields} in "${expression}"`;
  }
  cron ??= createRequire(import.meta.url)('cron') as typeof import('cron');
  const { valid, error } = cron.validateCronExpression(text);
  return valid
    ? null
    : `"${expression}" is not a valid cron expression: ${error?.message ?? 'unknown error'}`;
}
