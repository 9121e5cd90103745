/** The five characters that end a context in HTML and XML, as entities: one table for every renderer. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * For HTML text, double-quoted attribute values and XML (SVG) alike: `<`, `&` and both quotes cannot end
 * their context; `>` too, so a `</title>` or `]]>` is never recognised.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
