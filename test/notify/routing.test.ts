/**
 * Routing by event type (a channel's `events`) and quiet hours (held in the outbox with a not-before
 * time, sent as one message when they end, kept across a restart), with an injected clock; and the
 * quiet-hours arithmetic itself, daylight saving changes included.
 */

import { describe, expect, it } from 'vitest';
import type { QuietHoursConfig } from '../../src/channels/common.js';
import { isQuiet, quietUntil } from '../../src/notify/quiet-hours.js';
import type { TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { configWith } from './harness.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();
const { hook, start, settled } = bed;

const texts = (r: TestWebhookReceiver) => r.delivered().map((q) => (q.json as { title: string }).title);

describe('events: which event types a channel receives', () => {
  it('sends a channel only the types it chose, on real sweeps', async () => {
    const pager = await hook();
    const chat = await hook();
    const config = configWith({
      pager: { type: 'webhook', url: pager.url, events: ['down'] },
      chat: { type: 'webhook', url: chat.url },
    });
    const { notifications } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await settled(notifications);
    bed.store.sweep([], 3);
    notifications.afterSweep();
    await settled(notifications);
    expect(texts(pager)).toEqual(['1 down: Site 1']);
    expect(texts(chat)).toEqual(['1 down: Site 1', '1 recovered: Site 1']);
  });

  it('is validated with its path and a suggestion', async () => {
    const { configProblems } = await import('../config/problems.js');
    const problems = configProblems(
      JSON.stringify({
        sites: ['https://example.com/'],
        channels: {
          c: { type: 'slack', url: 'https://hooks.example.com/x', events: ['down', 'dwn', 'down'] },
        },
      }),
    );
    expect(problems).toEqual([
      { path: 'channels.c.events[1]', message: 'unknown event type "dwn"; did you mean "down"?' },
    ]);
    const twice = configProblems(
      JSON.stringify({
        sites: ['https://example.com/'],
        channels: {
          c: { type: 'slack', url: 'https://hooks.example.com/x', events: ['down', 'up', 'down'] },
        },
      }),
    );
    expect(twice).toEqual([{ path: 'channels.c.events[2]', message: '"down" is listed twice' }]);
  });
});

describe('quiet hours', () => {
  // 23:30 in Berlin (CEST, UTC+2): inside 22:00-07:00, which ends at 05:00 UTC the next day.
  const NIGHT = Date.parse('2024-05-01T21:30:00Z');
  const MORNING = Date.parse('2024-05-02T05:00:00Z');
  const quiet = { from: '22:00', to: '07:00', timezone: 'Europe/Berlin' };

  it('holds messages back and sends them as one message when they end, across a restart', async () => {
    const r = await hook();
    let now = NIGHT;
    const config = configWith({ night: { type: 'webhook', url: r.url, quietHours: quiet } }, { sites: 3 });
    const first = start(bed.store.notifications(config, { clock: () => now }).notifications);
    bed.store.sweep([1, 2], 3, NIGHT);
    first.afterSweep();
    await settled(first);
    now = NIGHT + 3_600_000;
    bed.store.sweep([2], 3, now);
    first.afterSweep();
    await settled(first);
    expect(r.requests).toHaveLength(0);
    expect(first.counts()).toEqual([{ channel: 'night', status: 'pending', rows: 2 }]);

    // A restart during the night: the held rows stay held.
    await bed.stop(first);
    const second = start(bed.store.notifications(config, { clock: () => now }).notifications);
    await settled(second);
    expect(r.requests).toHaveLength(0);

    now = MORNING - 1000;
    second.afterSweep();
    await settled(second);
    expect(r.requests).toHaveLength(0);

    now = MORNING;
    bed.store.sweep([2], 3, now);
    second.afterSweep();
    await settled(second);
    expect(r.delivered()).toHaveLength(1);
    const doc = r.delivered()[0]?.json as { title: string; text: string };
    expect(doc.title).toBe('1 down, 1 recovered');
    expect(doc.text).toContain(
      'Quiet hours are over: this is what was held back since 2024-05-01 21:30:00 UTC.',
    );
    expect(doc.text).toMatch(
      /- Site 1 \(.*\): was down from 2024-05-01 21:30:00 UTC to 2024-05-01 22:30:00 UTC \(1h\)/,
    );
    expect(second.counts()).toEqual([{ channel: 'night', status: 'delivered', rows: 2 }]);
  });

  it('sends the types in "except" at once and holds the rest', async () => {
    const r = await hook();
    let now = NIGHT;
    const config = configWith(
      { night: { type: 'webhook', url: r.url, quietHours: { ...quiet, except: ['down'] } } },
      { sites: 2 },
    );
    const n = start(bed.store.notifications(config, { clock: () => now }).notifications);
    bed.store.sweep([1], 2, now);
    n.afterSweep();
    await settled(n);
    expect(texts(r)).toEqual(['1 down: Site 1']);
    now += 600_000;
    bed.store.sweep([], 2, now);
    n.afterSweep();
    await settled(n);
    expect(texts(r)).toEqual(['1 down: Site 1']);
    now = MORNING + 1000;
    n.afterSweep();
    await settled(n);
    expect(texts(r)).toEqual(['1 down: Site 1', '1 recovered: Site 1']);
  });

  it('is validated with its path', async () => {
    const { configProblems } = await import('../config/problems.js');
    const problems = configProblems(
      JSON.stringify({
        sites: ['https://example.com/'],
        channels: {
          c: {
            type: 'slack',
            url: 'https://hooks.example.com/x',
            quietHours: { from: '22:00', to: '7:00', timezone: 'Europe/Berlln', except: ['sown'] },
          },
          d: {
            type: 'slack',
            url: 'https://hooks.example.com/y',
            quietHours: { from: '22:00', to: '22:00' },
          },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'channels.c.quietHours.to',
        message: 'expected a local time "HH:MM" from "00:00" to "23:59", found string "7:00"',
      },
      {
        path: 'channels.c.quietHours.timezone',
        message:
          'unknown time zone string "Europe/Berlln": expected an IANA name such as "Europe/Berlin" or "UTC"',
      },
      { path: 'channels.c.quietHours.except[0]', message: 'unknown event type "sown"; did you mean "down"?' },
      {
        path: 'channels.d.quietHours.to',
        message: '"to" is the same time as "from": quiet hours would never end',
      },
    ]);
  });
});

describe('the quiet-hours clock', () => {
  const window = (from: string, to: string, timezone = 'UTC'): QuietHoursConfig => {
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    return { from, to, fromMinutes: minutes(from), toMinutes: minutes(to), timezone, except: [] };
  };
  const at = (iso: string) => Date.parse(iso);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  it('knows a window over midnight and one within a day', () => {
    const night = window('22:00', '07:00');
    expect(isQuiet(night, at('2024-05-01T23:00:00Z'))).toBe(true);
    expect(isQuiet(night, at('2024-05-01T12:00:00Z'))).toBe(false);
    expect(iso(quietUntil(night, at('2024-05-01T23:00:00Z')))).toBe('2024-05-02T07:00:00.000Z');
    expect(iso(quietUntil(night, at('2024-05-02T06:59:30Z')))).toBe('2024-05-02T07:00:00.000Z');
    expect(quietUntil(night, at('2024-05-02T07:00:00Z'))).toBeNull();
    const lunch = window('12:00', '13:30');
    expect(iso(quietUntil(lunch, at('2024-05-01T12:10:00Z')))).toBe('2024-05-01T13:30:00.000Z');
    expect(quietUntil(lunch, at('2024-05-01T11:59:59Z'))).toBeNull();
  });

  it('counts in the time zone, across daylight saving changes', () => {
    const berlin = window('22:00', '07:00', 'Europe/Berlin');
    // Summer (UTC+2).
    expect(iso(quietUntil(berlin, at('2024-05-01T21:30:00Z')))).toBe('2024-05-02T05:00:00.000Z');
    // The night the clocks go forward (31 March 2024, 02:00 -> 03:00): 07:00 CEST is 05:00 UTC.
    expect(iso(quietUntil(berlin, at('2024-03-30T22:00:00Z')))).toBe('2024-03-31T05:00:00.000Z');
    // The night they go back (27 October 2024, 03:00 -> 02:00): 07:00 CET is 06:00 UTC.
    expect(iso(quietUntil(berlin, at('2024-10-26T21:00:00Z')))).toBe('2024-10-27T06:00:00.000Z');
    // An end the change skips (02:30 on 31 March does not exist): the hours end when the clock jumps past it.
    const skipped = window('01:00', '02:30', 'Europe/Berlin');
    expect(iso(quietUntil(skipped, at('2024-03-31T00:30:00Z')))).toBe('2024-03-31T01:00:00.000Z');
    const newYork = window('22:00', '07:00', 'America/New_York');
    expect(iso(quietUntil(newYork, at('2024-05-02T03:00:00Z')))).toBe('2024-05-02T11:00:00.000Z');
  });
});
