/** Reading JSON config text, with the line and column of a syntax error and a word on the commonest slips. */

import type { ConfigProblem } from '../core/errors.js';
import type { ReadText } from './read-result.js';

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

/** JSON text (without its BOM) as data, or the one syntax problem JSON.parse stops at. */
export function readJson(text: string): ReadText {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(text, error as Error)], cause: error };
  }
}
