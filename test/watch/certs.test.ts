import { describe, expect, it } from 'vitest';
import type { CertRecord, Check, SiteEvent } from '../../src/core/state.js';
import { certificates } from '../../src/watch/certs.js';

const DAY = 86_400_000;
const WARN = [30, 14, 7, 1];

function cert(name: string, expiresAt: number): NonNullable<Check['tls']> {
  return { fingerprint256: `FP:${name}`, subject: `CN=${name}`, validTo: new Date(expiresAt).toISOString() };
}

/** Each [day, certificate served] in turn, from no records: the events, as `type threshold name`. */
function serve(sequence: Array<[number, NonNullable<Check['tls']> | null]>, warnDays = WARN) {
  let records: CertRecord[] = [];
  const events: string[] = [];
  for (const [day, tls] of sequence) {
    const out = certificates(records, tls, warnDays, day * DAY);
    records = out.records;
    events.push(...out.events.map(word));
  }
  return { events, records };
}

function word(e: SiteEvent): string {
  if (e.type === 'cert-expiring') return `expiring ${e.threshold} ${e.cert.subject} ${e.cert.daysLeft}d`;
  if (e.type === 'cert-renewed') return `renewed ${e.cert.subject} (was ${e.previous.subject})`;
  return e.type;
}

describe('certificates: cert-expiring and cert-renewed', () => {
  it('one event per threshold crossed, the smallest only when several are crossed at once', () => {
    const old = cert('old', 40 * DAY);
    const { events } = serve([
      [0, old], // 40 days left: nothing
      [11, old], // 29: under 30
      [12, old], // 28: already told
      [27, old], // 13: under 14
      [38, old], // 2: under 7 (7 was skipped by no check in between: one event, not two)
      [39.5, old], // 0.5: under 1
    ]);
    expect(events).toEqual([
      'expiring 30 CN=old 29d',
      'expiring 14 CN=old 13d',
      'expiring 7 CN=old 2d',
      'expiring 1 CN=old 1d',
    ]);
  });

  it('a certificate first seen 3 days before its expiry raises one event, for 7', () => {
    expect(serve([[0, cert('soon', 3 * DAY)]]).events).toEqual(['expiring 7 CN=soon 3d']);
  });

  it('a renewed certificate is told once, and its warnings reset', () => {
    const old = cert('old', 20 * DAY);
    const fresh = cert('fresh', 400 * DAY);
    const { events } = serve([
      [0, old],
      [1, fresh],
      [2, fresh],
    ]);
    expect(events).toEqual(['expiring 30 CN=old 20d', 'renewed CN=fresh (was CN=old)']);
  });

  it('two certificates served in turn (CDN nodes) are not told at every sweep', () => {
    const a = cert('a', 20 * DAY);
    const b = cert('b', 400 * DAY);
    const { events } = serve([
      [0, a],
      [0.1, b],
      [0.2, a],
      [0.3, b],
      [0.4, a],
      [8, a], // 12 left: under 14, told once
      [8.1, b], // answered once more
      [8.2, a],
      [8.3, b],
    ]);
    expect(events).toEqual([
      'expiring 30 CN=a 20d',
      'renewed CN=b (was CN=a)',
      'expiring 14 CN=a 12d',
      'renewed CN=b (was CN=a)',
    ]);
  });

  it('nothing without a certificate, and nothing with warnDays []', () => {
    expect(serve([[0, null]]).events).toEqual([]);
    expect(serve([[0, cert('soon', DAY)]], []).events).toEqual([]);
  });

  it('does not change the records it is given', () => {
    const records: CertRecord[] = [
      { fingerprint: 'FP:a', subject: 'CN=a', validTo: 5 * DAY, lastSeen: 0, warned: 7, renewed: false },
    ];
    const copy = structuredClone(records);
    certificates(records, cert('b', 400 * DAY), WARN, DAY);
    expect(records).toEqual(copy);
  });
});
