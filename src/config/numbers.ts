/** Whole-number fields: what every numeric option and the heartbeat's timeout share. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { expected } from '../util/wording.js';

// "${TIMEOUT}" arrives here as the string "5000": say why quotes matter instead of only "wrong type".
const quotedNumber = (input: unknown) =>
  typeof input === 'string' && /^\d+$/.test(input)
    ? ' (write numbers without quotes; ${VAR} works in strings only)'
    : '';

export function wholeNumber(what: string, min: number, max: number) {
  const error = expected(`${what} from ${min} to ${max}`, quotedNumber);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export const NUMBERS_NOTE = ' Must be a JSON number: ${VAR} substitution applies to strings only.';
