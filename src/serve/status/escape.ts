/**
 * Escaping for each context a string can reach: HTML text, HTML attribute values (always double-quoted
 * here), SVG/XML, and JSON. Site names and groups come from the config, error messages and reason
 * phrases from hostile servers: every one of them goes through here before it is written out.
 */

import { escapeHtml as escapeEntities } from '../../util/html.js';

// C0 controls but tab, newline and return, DEL and C1: not allowed in XML 1.0 and meaningless on a page.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

// (String.prototype.toWellFormed does this, but is ES2024 and the project targets ES2023.)
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Shown in place of a control character, so a hostile byte is visible and harmless. */
const REPLACEMENT = '\ufffd';

/** Well-formed text without control characters (lone surrogates replaced too: XML forbids them). */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, REPLACEMENT).replace(CONTROL, REPLACEMENT);
}

/** For HTML text and double-quoted attribute values alike, control characters shown as U+FFFD. */
export function escapeHtml(text: string): string {
  return escapeEntities(cleanText(text));
}

/** SVG is XML: the same five entities are the whole set it knows. */
export const escapeXml = escapeHtml;

/**
 * JSON that is safe wherever it lands: `<`, `>` and `&` escaped so that a `</script>` or `<!--` in a
 * value can never mean anything to an HTML parser if someone embeds the document, and U+2028/2029
 * escaped for old JavaScript parsers, DEL and the C1 controls so no terminal acts on them (`JSON.stringify`
 * escapes the C0 ones).
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[<>&\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A copy of a value with every string value in it passed through `fn` (keys are the schema's, left alone). */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    }
    return v;
  };
  return walk(value) as T;
}
