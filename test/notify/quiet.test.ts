import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { entriesOf } from '../../src/notify/fold.js';
import { Router } from '../../src/notify/routing.js';
import { describeEvent } from '../../src/util/describe.js';
import { down, iso, T0 } from './fixtures.js';

const HOUR = 3_600_000;

describe('a down told late, once a window or silence ended', () => {
  it('says it started during maintenance, naming the window', () => {
    const [entry] = entriesOf([down(1, T0, { maintenance: 'nightly deploy' })]);
    expect(entry?.cause).toMatch(
      /\(started during maintenance "nightly deploy", still down when it ended\)$/,
    );
  });

  it('says since when it was silenced', () => {
    const [entry] = entriesOf([down(1, T0, { silencedSince: iso(T0 - 2 * HOUR) })]);
    expect(entry?.cause).toMatch(
      /\(silenced since 2024-05-01 08:00:00 UTC, still down when the silence ended\)$/,
    );
  });

  it('says nothing more for an ordinary down', () => {
    const [entry] = entriesOf([down(1, T0)]);
    expect(entry?.cause).not.toMatch(/maintenance|silenced/);
  });
});

describe('routing', () => {
  it('sends an event held by a silence to no channel, and the same event unheld to every channel', () => {
    const config = parseConfig(
      JSON.stringify({
        sites: ['https://site-1.example.com/health'],
        channels: { hook: { type: 'webhook', url: 'https://hooks.example/x' } },
      }),
      'sites.json',
      {},
    );
    const router = new Router(config, () => 'sweep');
    expect(router.route(down(1, T0), T0).map((t) => t.channel)).toEqual(['hook']);
    expect(router.route(down(1, T0, { silenced: iso(T0) }), T0)).toEqual([]);
  });
});

describe('the log line of an event', () => {
  it('says when a silence held it, and what held a down told late', () => {
    expect(describeEvent(down(1, T0, { silenced: iso(T0) }))).toMatch(
      /^DOWN Site 1 .*\(silenced since .*: not sent\)$/,
    );
    expect(describeEvent(down(1, T0, { maintenance: 'deploy' }))).toMatch(
      /\(started during maintenance "deploy"\)$/,
    );
    expect(describeEvent(down(1, T0, { silencedSince: iso(T0) }))).toMatch(
      /\(silenced since .*, now told\)$/,
    );
  });
});
