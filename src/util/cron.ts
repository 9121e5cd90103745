/** Cron expressions, checked with the same library that runs them. */

import { validateCronExpression } from 'cron';

/** Why a cron expression cannot be used, or null when it can. */
export function checkSchedule(expression: string): string | null {
  const text = expression.trim();
  const fields = text.split(/\s+/).length;
  if (!text.startsWith('@') && (fields < 5 || fields > 6)) {
    return `expected 5 fields (minute hour day month weekday) or 6 with seconds first, found ${fields} in "${expression}"`;
  }
  const { valid, error } = validateCronExpression(text);
  return valid
    ? null
    : `"${expression}" is not a valid cron expression: ${error?.message ?? 'unknown error'}`;
}
