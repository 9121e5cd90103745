import { createHash } from 'node:crypto';
import { normalizeUrl } from './url.js';

/**
 * A site's identity in the store: a hash of its normalised URL, so `HTTPS://Example.com:443` and
 * `https://example.com/` share their history, and a secret in a URL (from ${VAR}) is never stored.
 */
export function siteKey(url: string): string {
  return createHash('sha256')
    .update(normalizeUrl(url) ?? url)
    .digest('hex')
    .slice(0, 32);
}
