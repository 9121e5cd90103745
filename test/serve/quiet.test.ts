import { describe, expect, it } from 'vitest';
import { UptimeBook } from '../../src/serve/status/book.js';
import { buildStatusModel } from '../../src/serve/status/build.js';
import { renderStatusPage } from '../../src/serve/status/html.js';
import type { StatusCurrent } from '../../src/store/status-history.js';
import { model, NOW, site } from './fixtures.js';

const HOUR = 3_600_000;

describe('the status page with maintenance and silences', () => {
  it('marks a site in a window and lists the silences with their reason, escaped', () => {
    const html = renderStatusPage(
      model([site('shop', 'up', { maintenance: 'deploy <v2>' })], {
        silences: [
          {
            sites: ['SHOP'],
            start: new Date(NOW).toISOString(),
            end: new Date(NOW + HOUR).toISOString(),
            reason: '<b>vendor</b> outage',
          },
        ],
      }),
    );
    expect(html).toContain('Maintenance: deploy &lt;v2&gt;');
    expect(html).toContain('<section class="group" id="silences">');
    expect(html).toContain('SHOP, ');
    expect(html).toContain(': &lt;b&gt;vendor&lt;/b&gt; outage</li>');
    expect(html).not.toContain('<b>vendor</b>');
  });

  it('shows only the silences of public sites, naming only the public ones', () => {
    const current: StatusCurrent = {
      sites: new Map(),
      monitorOfflineSince: null,
      lastSweepAt: null,
      offlinePeriods: [],
      silences: [
        {
          id: 1,
          sites: ['Shop', 'Internal'],
          createdAt: NOW,
          startsAt: NOW,
          endsAt: NOW + HOUR,
          reason: 'r1',
          removedAt: null,
        },
        {
          id: 2,
          sites: ['Internal'],
          createdAt: NOW,
          startsAt: NOW,
          endsAt: NOW + HOUR,
          reason: 'r2',
          removedAt: null,
        },
        {
          id: 3,
          sites: null,
          createdAt: NOW,
          startsAt: NOW,
          endsAt: NOW + HOUR,
          reason: null,
          removedAt: null,
        },
      ],
    };
    const built = buildStatusModel({
      page: { title: 'Status', description: null, refreshSeconds: 60 },
      sites: [{ id: 'shop', key: 'k-shop', name: 'Shop', url: 'https://shop.example/', group: null }],
      current,
      book: UptimeBook.from({ days: new Map(), hours: new Map() }),
      now: NOW,
    });
    expect(built.silences.map((s) => [s.sites, s.reason])).toEqual([
      [['Shop'], 'r1'],
      [null, null],
    ]);
    expect(built.sites[0]?.maintenance).toBeNull();
  });
});
