/**
 * Redaction of secrets in everything we print or store: credentials in URLs, secret-looking query
 * values, and values that came from ${VAR} substitution in headers and channels.
 */

const SECRET_PARAM = /token|key|secret|password|passwd|pass|auth|signature|sig/i;
const MASK = '***';

/**
 * The URL as the user wrote it, with `user:password@` and the values of secret-looking query
 * parameters masked. Works on the text, so an unchanged URL comes back exactly as given.
 */
export function redactUrl(url: string): string {
  // Up to the last @ of the authority: URL parsers accept an unencoded @ in the password.
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_m, scheme: string) => `${scheme}${MASK}@`);
  const q = out.indexOf('?');
  if (q === -1) return out;
  const hash = out.indexOf('#', q);
  const query = hash === -1 ? out.slice(q + 1) : out.slice(q + 1, hash);
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the raw name.
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${MASK}` : pair;
    })
    .join('&');
  out = `${out.slice(0, q + 1)}${masked}${hash === -1 ? '' : out.slice(hash)}`;
  return out;
}

/** A function that masks every occurrence of the given secret values in a text. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is masked whole.
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  };
}
