/** The words of degraded, recovered, cert-expiring and cert-renewed events, and what incident tools make of them. */

import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../src/core/events.js';
import { eventsMessage } from '../../src/notify/compose.js';
import { entriesOf } from '../../src/notify/fold.js';
import { alertChanges } from '../../src/notify/incident.js';
import { renderText } from '../../src/notify/render/text.js';
import { describeEvent } from '../../src/util/describe.js';
import { down, event, iso, site, T0 } from './fixtures.js';

const MIN = 60_000;
const slowCause = {
  kind: 'ok' as const,
  status: 200,
  message: 'response took 912 ms, over maxResponseMs 500 ms',
};

const degraded = (at = T0) =>
  event('degraded', {
    site: site(1),
    incidentId: null,
    at: iso(at),
    cause: slowCause,
    degradedSince: iso(at),
    downSince: null,
  });
const recovered = (since: number, at: number) =>
  event('recovered', {
    site: site(1),
    incidentId: null,
    at: iso(at),
    cause: slowCause,
    degradedSince: iso(since),
    degradedForMs: at - since,
    downSince: null,
  });
const cert = {
  fingerprint: 'AB:CD',
  subject: 'CN=site-1.example.com',
  validTo: '2024-05-13T10:00:00.000Z',
  daysLeft: 12,
};
const expiring: WatchEvent = event('cert-expiring', {
  site: site(1),
  incidentId: null,
  cause: null,
  downSince: null,
  cert,
  threshold: 14,
});
const renewed: WatchEvent = event('cert-renewed', {
  site: site(1),
  incidentId: null,
  cause: null,
  downSince: null,
  cert: { ...cert, fingerprint: 'EF:01', validTo: '2024-08-01T10:00:00.000Z', daysLeft: 92 },
  previous: cert,
});

describe('messages of slowness and certificates', () => {
  it('a degraded site is in a section of its own, saying how slow and since when', () => {
    const message = eventsMessage([degraded()], [], { id: 'm' });
    expect(message.title).toBe('1 degraded: Site 1');
    const text = renderText(message);
    expect(text).toContain('Degraded (slow) (1)');
    expect(text).toContain(
      '- Site 1 (https://site-1.example.com/health): up but slow: response took 912 ms, over maxResponseMs 500 ms; slow since 2024-05-01 10:00:00 UTC',
    );
    expect(message.data.kind === 'events' && message.data.counts).toEqual({
      down: 0,
      recovered: 0,
      stillDown: 0,
      monitorOffline: 0,
      monitorOnline: 0,
      degraded: 1,
    });
  });

  it('degraded and recovered in one message fold into one "was slow from … to …" entry', () => {
    const entries = entriesOf([degraded(T0), recovered(T0, T0 + 5 * MIN)]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'fast-again',
      since: iso(T0),
      until: iso(T0 + 5 * MIN),
      durationMs: 5 * MIN,
    });
    const text = renderText(eventsMessage([degraded(T0), recovered(T0, T0 + 5 * MIN)], [], { id: 'm' }));
    expect(text).toContain('1 fast again: Site 1');
    expect(text).toContain('was slow from 2024-05-01 10:00:00 UTC to 2024-05-01 10:05:00 UTC (5m)');
  });

  it('a site down and slow elsewhere: the outage and the slowness stay apart', () => {
    const entries = entriesOf([down(1), degraded()]);
    expect(entries.map((e) => e.kind)).toEqual(['down', 'degraded']);
  });

  it('certificates: expiring and renewed say which certificate, when it expires and the threshold', () => {
    const text = renderText(eventsMessage([expiring, renewed], [], { id: 'm' }));
    expect(text).toContain('Certificate expiring (1)');
    expect(text).toContain(
      '- Site 1 (https://site-1.example.com/health): the certificate CN=site-1.example.com expires in 12 days (2024-05-13), within the 14 days warning',
    );
    expect(text).toContain('Certificate renewed (1)');
    expect(text).toContain(
      'now CN=site-1.example.com until 2024-08-01 (92 days), replacing the one that expires 2024-05-13',
    );
    expect(describeEvent(expiring)).toBe(
      'CERTIFICATE EXPIRING Site 1 (https://site-1.example.com/health): the certificate CN=site-1.example.com expires in 12 days (2024-05-13), within the 14 days warning',
    );
  });

  it('incident tools: slowness and certificates open and close alerts of their own, never the outage’s', () => {
    const message = eventsMessage([down(1), degraded(), expiring], [], { id: 'm' });
    const changes = alertChanges(message, 'us-', 'pd');
    expect(changes.map((c) => `${c.action} ${c.key}`).sort()).toEqual([
      'open us-cert-site-key-1',
      'open us-site-key-1',
      'open us-slow-site-key-1',
    ]);
    const later = alertChanges(
      eventsMessage([recovered(T0, T0 + MIN), renewed], [], { id: 'n' }),
      'us-',
      'pd',
    );
    expect(later.map((c) => `${c.action} ${c.key}`).sort()).toEqual([
      'close us-cert-site-key-1',
      'close us-slow-site-key-1',
    ]);
  });
});
