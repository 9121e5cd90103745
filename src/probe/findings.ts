/**
 * What a check found besides up or down, for the result: the certificate that served it and whether it is
 * close to its expiry, the `expect` assertions that ran, and whether the response was slower than the
 * site's maxResponseMs (degraded: still up).
 */

import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { responseTime } from './assert.js';
import type { Attempt } from './attempt.js';
import { certWarning, tlsInfo } from './certificate.js';

export type Findings = Pick<Result, 'tls' | 'certWarning' | 'assertions' | 'degraded' | 'tlsVerified'>;

export function findingsOf(site: Site, last: Attempt, now: number): Findings {
  const seen = last.trace?.certificate;
  const found: Findings = seen
    ? { tls: tlsInfo(seen, now), certWarning: certWarning(seen.validTo, site.certExpiry.warnDays, now) }
    : { tls: null };
  // tls.insecure: whatever the certificate is, it was not verified; say so on every https result.
  if (site.tls?.insecure && site.url.toLowerCase().startsWith('https:')) found.tlsVerified = false;
  if (site.expect === undefined) return found;
  const assertions = [...(last.assertions ?? [])];
  // Only an answer that passed everything else can be merely slow.
  const timed = last.ok ? responseTime(site, last.endedAt - last.startedAt) : null;
  if (timed !== null) assertions.push(timed);
  if (assertions.length > 0) found.assertions = assertions;
  if (site.expect.maxResponseMs !== undefined) found.degraded = timed !== null && !timed.passed;
  return found;
}
