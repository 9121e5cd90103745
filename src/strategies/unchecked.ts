import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { redactUrl } from '../util/redact.js';

/**
 * The result of a site that was not checked (queue mode: no worker reported on it in time; any mode: a
 * signal stopped the sweep first): neither up nor down (`ok: null`), so it is never counted up and never
 * raises an alert; `check` exits 1 for it all the same.
 */
export function uncheckedResult(
  site: Site,
  reason: string,
  redact: (text: string) => string,
  at: Date,
): Result {
  return {
    url: redact(redactUrl(site.url)),
    name: site.name,
    ok: null,
    status: null,
    method: site.method,
    kind: 'unchecked',
    error: reason,
    attempts: 0,
    redirects: 0,
    timings: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 0 },
    durationMs: 0,
    checkedAt: at.toISOString(),
  };
}
