import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';

function load(text: string) {
  return parseConfig(text, 'sites.json', {});
}

function problem(text: string): string {
  try {
    load(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('interval', () => {
  it('takes a duration in whole seconds from 10 s to 24 h, per site over defaults; absent follows --schedule', () => {
    const config = load(
      JSON.stringify({
        defaults: { interval: '5m' },
        sites: ['https://a.example/', { url: 'https://b.example/', interval: '30s' }],
      }),
    );
    expect(config.sites.map((s) => s.interval)).toEqual([300_000, 30_000]);
    expect(load('["https://a.example/"]').sites[0]?.interval).toBeUndefined();
    expect(load('{"sites": [{"url": "https://a.example/", "interval": 86400000}]}').sites[0]?.interval).toBe(
      86_400_000,
    );
  });

  it('refuses what is out of range or not whole seconds, with its path', () => {
    expect(problem('{"sites": [{"url": "https://a.example/", "interval": "5s"}]}')).toContain(
      'sites.json: sites[0].interval: expected a whole number of milliseconds from 10000 to 86400000, or a duration with a unit such as "30s", "1m" or "1h" (10s to 24h), found string "5s"',
    );
    expect(problem('{"defaults": {"interval": "25h"}, "sites": ["https://a.example/"]}')).toContain(
      'defaults.interval: expected',
    );
    expect(problem('{"defaults": {"interval": "10.5s"}, "sites": ["https://a.example/"]}')).toContain(
      'defaults.interval: expected a whole number of seconds, such as "30s" or "90s", found 10500 ms',
    );
  });

  it('is shown by validate for the sites that have one', () => {
    const text = describeConfig(
      load('{"sites": ["https://a.example/", {"url": "https://b.example/", "interval": "90s"}]}'),
    );
    expect(text).toContain(
      'https://b.example/: HEAD, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399; watch: every 90s',
    );
    expect(text).not.toMatch(/a\.example.*every/);
  });
});
