import { describe, expect, it } from 'vitest';
import { isSiteId, siteIds, slugify } from '../../src/util/site-id.js';

describe('site ids', () => {
  it('slug the name, or the URL host and path without one', () => {
    expect(
      siteIds([
        { name: 'Shop', url: 'https://shop.example.com/' },
        { name: 'Café Crème — API!', url: 'https://x.example.com/' },
        { name: null, url: 'https://api.example.com/v1/health?x=1#top' },
        { name: null, url: 'HTTP://Example.COM' },
      ]),
    ).toEqual(['shop', 'cafe-creme-api', 'api-example-com-v1-health', 'example-com']);
  });

  it('are unique in the config, by a suffix given in config order (deterministic)', () => {
    const sites = [
      { name: 'API', url: 'https://a.example.com/' },
      { name: 'api', url: 'https://b.example.com/' },
      { name: 'API 2', url: 'https://c.example.com/' },
      { name: 'Api', url: 'https://d.example.com/' },
    ];
    expect(siteIds(sites)).toEqual(['api', 'api-2', 'api-2-2', 'api-3']);
    expect(siteIds(sites)).toEqual(siteIds(sites));
    const ids = siteIds(sites);
    expect(new Set(ids).size).toBe(ids.length);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in this title.
  it('never carry credentials, secret query values or ${VAR} secrets', () => {
    const ids = siteIds(
      [
        { name: null, url: 'https://user:hunter2@example.com/?token=abc' },
        { name: 'Shop s3cr3t-value', url: 'https://shop.example.com/' },
        { name: null, url: 'https://example.com/s3cr3t-value/ping' },
      ],
      ['s3cr3t-value'],
    );
    expect(ids).toEqual(['example-com', 'shop', 'example-com-ping']);
    for (const id of ids) expect(id).not.toMatch(/hunter2|abc|s3cr3t/);
  });

  it('fall back to "site" when nothing sluggable is left, and stay short and URL-safe', () => {
    expect(siteIds([{ name: '日本語', url: 'https://日本.jp/' }])[0]).toMatch(/^[a-z0-9-]+$/);
    expect(siteIds([{ name: '!!!', url: 'https://%%%/' }])).toEqual(['site']);
    const long = 'x'.repeat(200);
    const ids = siteIds([
      { name: long, url: 'https://a/' },
      { name: long, url: 'https://b/' },
    ]);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(48);
      expect(isSiteId(id)).toBe(true);
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(slugify('--a--b--')).toBe('a-b');
    expect(isSiteId('a--b')).toBe(false);
    expect(isSiteId('../x')).toBe(false);
  });
});
