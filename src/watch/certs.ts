/**
 * Certificates close to their expiry, as a pure function of what a site served before and what it serves
 * now. Keyed by the certificate's fingerprint, so that an origin whose CDN nodes serve two certificates in
 * turn is told once per certificate and threshold, not at every sweep (Uptime Kuma #5374), and a renewed
 * certificate is told once too.
 */

import type { CertFacts, CertRecord, Check, SiteEvent } from '../core/state.js';
import { certWarning, daysLeft } from '../probe/certificate.js';

/** Certificates remembered per site: the ones served lately, for a site that rotates among a few. */
const KEEP = 8;
/** A certificate not served for this long is forgotten. */
const FORGET_AFTER_MS = 60 * 86_400_000;

function facts(r: Pick<CertRecord, 'fingerprint' | 'subject' | 'validTo'>, now: number): CertFacts {
  return {
    fingerprint: r.fingerprint,
    subject: r.subject,
    validTo: new Date(r.validTo).toISOString(),
    daysLeft: daysLeft(r.validTo, now),
  };
}

/**
 * - A certificate within a threshold of `warnDays` raises `cert-expiring` for the smallest one it is
 *   within, once: later it raises again only for a smaller threshold (30, then 14, 7, 1).
 * - A certificate past every threshold, served where one was warned about and not yet answered, raises
 *   `cert-renewed` once (naming the last one warned about); those warnings count as answered.
 */
export function certificates(
  records: readonly CertRecord[],
  tls: Check['tls'],
  warnDays: readonly number[],
  now: number,
): { records: CertRecord[]; events: SiteEvent[] } {
  if (tls === null || tls === undefined) return { records: [...records], events: [] };
  const validTo = Date.parse(tls.validTo);
  if (!Number.isFinite(validTo)) return { records: [...records], events: [] };
  const events: SiteEvent[] = [];
  const kept = records
    .filter((r) => r.fingerprint !== tls.fingerprint256 && now - r.lastSeen < FORGET_AFTER_MS)
    .map((r) => ({ ...r }));
  const before = records.find((r) => r.fingerprint === tls.fingerprint256);
  const current: CertRecord = {
    fingerprint: tls.fingerprint256,
    subject: tls.subject,
    validTo,
    lastSeen: now,
    warned: before?.warned ?? null,
    renewed: before?.renewed ?? false,
  };
  const threshold = warnDays.length === 0 ? null : certWarning(validTo, warnDays, now);
  if (threshold !== null && (current.warned === null || threshold < current.warned)) {
    current.warned = threshold;
    current.renewed = false;
    events.push({ type: 'cert-expiring', at: now, cert: facts(current, now), threshold });
  }
  if (threshold === null && warnDays.length > 0) {
    const unanswered = kept.filter((r) => r.warned !== null && !r.renewed && r.validTo < validTo);
    const latest = unanswered.sort((a, b) => b.lastSeen - a.lastSeen)[0];
    if (latest !== undefined) {
      events.push({ type: 'cert-renewed', at: now, cert: facts(current, now), previous: facts(latest, now) });
      for (const r of unanswered) r.renewed = true;
    }
  }
  const list = [current, ...kept].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, KEEP);
  return { records: list, events };
}
