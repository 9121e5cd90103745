/**
 * Making text from elsewhere (a server's status text, a redirect URL, an error message) safe to put in a
 * message: no line breaks or control characters that could start a new header line or forge a body
 * line, HTML escaped where HTML is written, and bounded in length.
 */

import { CONTROL } from '../util/control.js';

/** One line: every run of control characters (CR, LF, TAB, NUL...) becomes one space; trimmed. */
export function oneLine(text: string, maxChars = 500): string {
  const line = text.replace(CONTROL, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

export { escapeHtml } from '../util/html.js';

/** `2024-05-01T10:00:05.123Z` -> `2024-05-01 10:00:05 UTC`. */
export function formatTime(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Lines joined by "\n" in at most `maxChars` characters: the lines that fit, then a last line saying how
 * many were left out. Chat services refuse (or cut) long messages; a cut that says so is better.
 */
export function fitLines(
  lines: readonly string[],
  maxChars: number,
  more = (n: number) => `… and ${n} more`,
): string {
  const all = lines.join('\n');
  if (all.length <= maxChars) return all;
  const kept: string[] = [];
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const tail = more(lines.length - i);
    // Room for this line, a newline, and the "and N more" line after it.
    if (size + line.length + 1 + tail.length + 1 > maxChars) {
      kept.push(tail);
      return kept.join('\n');
    }
    kept.push(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}
