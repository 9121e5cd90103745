// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { pageConfig } from '../../src/serve/page-config.js';
import { siteKey } from '../../src/util/site-key.js';

describe('the status server from the config', () => {
  it('gives every site its id, key, group and public flag; URLs and ids carry no secret', () => {
    const config = parseConfig(
      JSON.stringify({
        statusPage: { title: 'Acme', sites: ['Shop', 'https://b.example/?token=${T}', 'c-example-com'] },
        channels: { ops: { type: 'webhook', url: 'https://hooks.example/x' } },
        sites: [
          { url: 'https://a.example/', name: 'Shop', group: 'Store' },
          { url: 'https://b.example/?token=${T}' },
          { url: 'https://c.example.com/' },
          { url: 'https://user:pw@d.example/', name: 'Hidden' },
        ],
      }),
      'sites.json',
      { T: 'tok-99' },
    );
    const live = pageConfig(config);
    expect(live.sites.map((s) => [s.id, s.name, s.url, s.group, s.public])).toEqual([
      ['shop', 'Shop', 'https://a.example/', 'Store', true],
      ['b-example', null, 'https://b.example/?token=***', null, true],
      ['c-example-com', null, 'https://c.example.com/', null, true],
      ['hidden', 'Hidden', 'https://***@d.example/', null, false],
    ]);
    expect(live.sites[1]?.key).toBe(siteKey('https://b.example/?token=tok-99'));
    expect(live.page).toEqual({ title: 'Acme', description: null, refreshSeconds: 60 });
    expect(live.channels).toEqual(['ops']);
  });
});
