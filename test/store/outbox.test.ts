import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventsPayload } from '../../src/store/outbox.js';
import { WatchStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/processes.js';
import { makeSite, sweep } from './fixtures.js';

let dir: { path: string; cleanup: () => Promise<void> };
let store: WatchStore;
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const sites = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => makeSite(`https://${n}.example/`, { name: n }));
const everyone = () => ['mail', 'hook'];

beforeEach(async () => {
  dir = await tempDir();
  store = WatchStore.open(join(dir.path, 'store.db'));
});
afterEach(async () => {
  store.close();
  await dir.cleanup();
});

describe('the outbox table', () => {
  it('turns the events after the cursor into one row per channel and sweep, once', () => {
    sweep(store, sites, [false, true, true, true, true, true], T0);
    sweep(store, sites, [true, false, true, true, true, true], T0 + MIN);
    const outbox = store.outbox;
    const first = outbox.enqueueEvents(everyone, T0 + 2 * MIN, HOUR);
    expect(first).toEqual({
      perChannel: new Map([
        ['mail', 2],
        ['hook', 2],
      ]),
      events: 3,
      stale: [],
    });
    expect(outbox.cursor()).toBe(3);
    expect(outbox.enqueueEvents(everyone, T0 + 2 * MIN, HOUR).events).toBe(0);

    const rows = outbox.pending('mail', 10);
    expect(rows.map((r) => [r.ref, r.kind, r.attempts, r.sending])).toEqual([
      ['sweep:1', 'events', 0, false],
      ['sweep:2', 'events', 0, false],
    ]);
    // Expiry counts from the sweep's end, not from when the row was written.
    expect(rows[0]?.expiresAt).toBe(T0 + sites.length + 10 + HOUR);
    const payload = JSON.parse(rows[1]?.payload ?? '') as EventsPayload;
    expect(payload.sweep).toMatchObject({ id: 2, sites: 6, checked: 6, up: 5, down: 1 });
    expect(payload.events.map((e) => [e.id, e.type, e.site?.name])).toEqual([
      [2, 'up', 'a'],
      [3, 'down', 'b'],
    ]);
  });

  it('routes each event only to the channels it names', () => {
    sweep(store, sites, [false, false, true, true, true, true], T0);
    const route = (event: { site: { name: string | null } | null }) =>
      event.site?.name === 'a' ? ['mail'] : [];
    const { perChannel } = store.outbox.enqueueEvents(route, T0 + MIN, HOUR);
    expect(perChannel).toEqual(new Map([['mail', 1]]));
    const payload = JSON.parse(store.outbox.pending('mail', 10)[0]?.payload ?? '') as EventsPayload;
    expect(payload.events.map((e) => e.site?.name)).toEqual(['a']);
    expect(store.outbox.pendingChannels()).toEqual(['mail']);
  });

  it('gives a per-event channel one row per event, keyed by the event and naming its site', () => {
    sweep(store, sites, [false, false, true, true, true, true], T0);
    const outbox = store.outbox;
    outbox.enqueueEvents(
      () => [
        { channel: 'pager', perEvent: true, notBefore: null },
        { channel: 'mail', perEvent: false, notBefore: null },
      ],
      T0 + MIN,
      HOUR,
    );
    const pager = outbox.pending('pager', 10);
    expect(
      pager.map((r) => [r.ref, r.site !== null, (JSON.parse(r.payload) as EventsPayload).events.length]),
    ).toEqual([
      ['event:1', true, 1],
      ['event:2', true, 1],
    ]);
    expect(pager[0]?.site).not.toBe(pager[1]?.site);
    expect(outbox.pending('mail', 10).map((r) => [r.ref, r.site])).toEqual([['sweep:1', null]]);
    // Enqueueing again adds nothing: never twice.
    outbox.enqueueEvents(() => [{ channel: 'pager', perEvent: true, notBefore: null }], T0 + MIN, HOUR);
    expect(outbox.counts()).toEqual([
      { channel: 'mail', status: 'pending', rows: 1 },
      { channel: 'pager', status: 'pending', rows: 2 },
    ]);
  });

  it('holds a row until its not-before time, and counts its expiry from then', () => {
    sweep(store, sites, [false, false, true, true, true, true], T0);
    const outbox = store.outbox;
    const release = T0 + 9 * HOUR;
    // Site a's event is held, site b's goes at once: two rows for the same sweep.
    outbox.enqueueEvents(
      (event) => [{ channel: 'mail', perEvent: false, notBefore: event.site?.name === 'a' ? release : null }],
      T0 + MIN,
      HOUR,
    );
    expect(outbox.pending('mail', 10, T0 + MIN).map((r) => [r.ref, r.notBefore])).toEqual([
      ['sweep:1', null],
    ]);
    expect(outbox.nextDue('mail', T0 + MIN)).toBe(release);
    const held = outbox.pending('mail', 10, release);
    expect(held.map((r) => [r.ref, r.notBefore])).toEqual([
      ['sweep:1:held', release],
      ['sweep:1', null],
    ]);
    expect(held[0]?.expiresAt).toBe(release + HOUR);
    // Nine hours on, past the sweep's own expiry, the held row is still there.
    expect(outbox.expire(T0 + 2 * HOUR, 'mail').flatMap((d) => d.refs)).toEqual(['sweep:1']);
    expect(outbox.pending('mail', 10, release).map((r) => r.ref)).toEqual(['sweep:1:held']);
    expect(outbox.nextDue('mail', release)).toBeNull();
  });

  it('reports the sweeps whose events expired while nobody enqueued them, and moves past them', () => {
    sweep(store, sites, [false, true, true, true, true, true], T0);
    const late = store.outbox.enqueueEvents(everyone, T0 + 2 * HOUR, HOUR);
    expect(late).toMatchObject({ events: 1, stale: [1] });
    expect(late.perChannel.size).toBe(0);
    expect(store.outbox.cursor()).toBe(1);
    expect(store.outbox.counts()).toEqual([]);
  });

  it('records a send: sending before it, then delivered, failed or retried (a timeout stays "maybe sent")', () => {
    sweep(store, sites, [false, true, true, true, true, true], T0);
    const outbox = store.outbox;
    outbox.enqueueEvents(everyone, T0 + MIN, HOUR);
    const [mail] = outbox.pending('mail', 10).map((r) => r.id);
    const [hook] = outbox.pending('hook', 10).map((r) => r.id);
    if (mail === undefined || hook === undefined) throw new Error('rows expected');

    outbox.markSending([mail, hook], T0 + MIN);
    expect(outbox.pending('mail', 10)[0]).toMatchObject({ attempts: 1, sending: true });
    outbox.markRetry([mail], 'US_ERR_NOTIFY_TIMEOUT: no answer', true);
    outbox.markRetry([hook], 'US_ERR_NOTIFY_HTTP: 503');
    expect(outbox.pending('mail', 10)[0]?.sending).toBe(true);
    expect(outbox.pending('hook', 10)[0]?.sending).toBe(false);

    outbox.markDelivered([mail], T0 + 2 * MIN, '250 OK');
    outbox.markFailed([hook], T0 + 2 * MIN, 'US_ERR_NOTIFY_HTTP: 404');
    // Done rows are not touched again.
    outbox.markRetry([mail, hook], 'late');
    expect(outbox.counts()).toEqual([
      { channel: 'hook', status: 'failed', rows: 1 },
      { channel: 'mail', status: 'delivered', rows: 1 },
    ]);
    expect(outbox.pendingChannels()).toEqual([]);
  });

  it('queues a summary once per ref, drops pending rows past expiry and prunes done ones', () => {
    const outbox = store.outbox;
    outbox.enqueue('summary', ['mail', 'hook'], 'summary:t1', '{}', T0, MIN);
    outbox.enqueue('summary', ['mail', 'hook'], 'summary:t1', '{}', T0, MIN);
    outbox.enqueue('summary', ['mail'], 'summary:t2', '{}', T0 + MIN, HOUR);
    expect(outbox.pending('mail', 10).map((r) => r.ref)).toEqual(['summary:t1', 'summary:t2']);

    expect(outbox.expire(T0 + MIN, 'hook')).toEqual([
      { channel: 'hook', ids: [2], refs: ['summary:t1'], oldest: T0 },
    ]);
    expect(outbox.expire(T0 + MIN)).toEqual([
      { channel: 'mail', ids: [1], refs: ['summary:t1'], oldest: T0 },
    ]);
    expect(outbox.pending('mail', 10).map((r) => r.ref)).toEqual(['summary:t2']);

    expect(outbox.prune(T0 + MIN)).toBe(0);
    expect(outbox.prune(T0 + MIN + 1)).toBe(2);
    expect(outbox.counts()).toEqual([{ channel: 'mail', status: 'pending', rows: 1 }]);
  });
});
