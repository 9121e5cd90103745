/**
 * Headers on every response: nothing the status server sends may run a script, be sniffed into another
 * type, leak the page's address, or be framed by another site.
 */

import type { ServerResponse } from 'node:http';
import { PAGE_CSP } from '../status/css.js';

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const;

/** For everything but the page: no resource of any kind may load. */
const STRICT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function securityHeaders(res: ServerResponse, page = false): void {
  res.setHeader('Content-Security-Policy', page ? `${PAGE_CSP}; frame-ancestors 'none'` : STRICT_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Every answer is live data: a cache in between must ask again.
  res.setHeader('Cache-Control', 'no-cache');
}
