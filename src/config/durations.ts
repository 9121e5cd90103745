/**
 * Duration keys (`timeoutMs`, the heartbeat's `timeoutMs`, `repeatAfter`): a whole number of
 * milliseconds, or a string with a unit that means exactly what it says ("50ms", "10s", "2m").
 */

import * as z from 'zod';
import { BARE_MS_MIN, bareMsHint, formatDays, parseDuration } from '../util/duration.js';
import { describeValue } from '../util/wording.js';

// The string form needs its unit: "5000" is more likely a number quoted by mistake (or a ${VAR}) than
// a considered choice, and the unit is what makes a short value deliberate.
const WITH_UNIT = /^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/;

export interface DurationSpec {
  /** Bounds in milliseconds, for both forms; a bare number must also be at least BARE_MS_MIN. */
  min: number;
  max: number;
  /** Examples of the string form, such as `"500ms", "10s" or "2m"`. */
  examples: string;
  /** Also accepts null (resolving to null); the words say what null means: "null for no reminders". */
  orNull?: string;
}

/** What the key accepts, in words: the tail of "expected ..., found ..." and of its description. */
export function durationAllowed({ min, max, examples, orNull }: DurationSpec): string {
  const numberMin = Math.max(min, BARE_MS_MIN);
  const nullable = orNull === undefined ? '' : `, or ${orNull}`;
  return `a whole number of milliseconds from ${numberMin} to ${max}, or a duration with a unit such as ${examples} (${formatDays(min)} to ${formatDays(max)})${nullable}`;
}

/** The one message for any input the key refuses, whichever branch of the union refused it. */
function durationProblem(input: unknown, spec: DurationSpec): string {
  const allowed = durationAllowed(spec);
  if (input === undefined) return `missing: expected ${allowed}`;
  if (typeof input === 'number' && spec.min < BARE_MS_MIN) {
    const hint = bareMsHint(input, '"');
    if (hint !== null) return hint;
  }
  const quoted =
    typeof input === 'string' && /^\d+$/.test(input.trim())
      ? ` (a duration string needs a unit, such as "${input.trim()}ms"; or write the number without quotes)`
      : '';
  return `expected ${allowed}, found ${describeValue(input)}${quoted}`;
}

/** The number and string forms, each refusing with the same message, so that whichever branch the
 * input reached (problems.ts follows the one that was not merely the wrong type) says it all. */
function forms(spec: DurationSpec) {
  const error = (issue: { readonly input: unknown }) => durationProblem(issue.input, spec);
  const asNumber = z.int({ error }).min(Math.max(spec.min, BARE_MS_MIN), { error }).max(spec.max, { error });
  const asString = z
    .string({ error })
    .regex(WITH_UNIT, { error })
    .transform((text, ctx): number => {
      const ms = parseDuration(text);
      if (ms === null || ms < spec.min || ms > spec.max) {
        ctx.issues.push({ code: 'custom', input: text, message: durationProblem(text, spec) });
        return z.NEVER;
      }
      return ms;
    });
  return { error, asNumber, asString };
}

/** A duration key: resolves to milliseconds. The JSON Schema shows both forms with their bounds. */
export function durationMs(spec: DurationSpec & { orNull?: undefined }) {
  const { error, asNumber, asString } = forms(spec);
  return z.union([asNumber, asString], { error });
}

/** As durationMs, and null (spelt out in `spec.orNull`) resolves to null. */
export function durationMsOrNull(spec: DurationSpec & { orNull: string }) {
  const { error, asNumber, asString } = forms(spec);
  return z.union([z.null({ error }), asNumber, asString], { error });
}
