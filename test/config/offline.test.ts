// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { problemLines } from './problems.js';

const SITES = ['https://a.example/'];

const problems = (extra: object) => problemLines({ sites: SITES, ...extra });

function load(extra: object, env: NodeJS.ProcessEnv = {}): Config {
  return parseConfig(JSON.stringify({ sites: SITES, ...extra }), 'sites.json', env);
}

describe('the monitor-offline rule: offline', () => {
  it('is on with 0.8 of at least 5 sites when the config says nothing, also for the plain list', () => {
    expect(load({}).offline).toEqual({ ratio: 0.8, minSites: 5 });
    expect(parseConfig(JSON.stringify(SITES), 'sites.json', {}).offline).toEqual({ ratio: 0.8, minSites: 5 });
    expect(load({ offline: true }).offline).toEqual({ ratio: 0.8, minSites: 5 });
  });

  it('is off (null) with false', () => {
    expect(load({ offline: false }).offline).toBeNull();
  });

  it('takes either setting alone, the other keeping its default', () => {
    expect(load({ offline: { ratio: 1 } }).offline).toEqual({ ratio: 1, minSites: 5 });
    expect(load({ offline: { minSites: 20 } }).offline).toEqual({ ratio: 0.8, minSites: 20 });
    expect(load({ offline: { ratio: 0.5, minSites: 1 } }).offline).toEqual({ ratio: 0.5, minSites: 1 });
  });

  it('refuses a ratio outside (0, 1], a minSites under 1, unknown keys and other types', () => {
    expect(problems({ offline: { ratio: 0, minSites: 0, minsites: 3 } })).toEqual([
      'offline.ratio: expected a number above 0 and at most 1, such as 0.8, found number 0',
      'offline.minSites: expected a whole number of sites from 1 to 1000000, found number 0',
      'offline.minsites: unknown key "minsites"; did you mean "minSites"?',
    ]);
    expect(problems({ offline: { ratio: 1.5 } })).toEqual([
      'offline.ratio: expected a number above 0 and at most 1, such as 0.8, found number 1.5',
    ]);
    expect(problems({ offline: 'off' })).toEqual([
      'offline: expected an object such as { "ratio": 0.8, "minSites": 5 }, or false to turn the rule off (true: the defaults), found string "off"',
    ]);
  });
});

describe('the monitor-offline rule: connectivity', () => {
  it('is null when absent', () => {
    expect(load({}).connectivity).toBeNull();
  });

  it('resolves its targets, ${VAR} substituted', () => {
    const config = load(
      { connectivity: { targets: ['https://1.1.1.1/', 'https://${PROBE_HOST}/health'] } },
      { PROBE_HOST: 'probe.example.org' },
    );
    expect(config.connectivity).toEqual({
      targets: ['https://1.1.1.1/', 'https://probe.example.org/health'],
    });
  });

  it('wants 1 to 10 http(s) URLs and nothing else', () => {
    expect(problems({ connectivity: { targets: [] } })).toEqual([
      'connectivity.targets: the list is empty: give 1 to 10 URLs, such as ["https://1.1.1.1/"]',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `https://t${i}.example/`);
    expect(problems({ connectivity: { targets: eleven } })).toEqual([
      'connectivity.targets: too many targets: give at most 10 URLs',
    ]);
    expect(
      problems({ connectivity: { targets: ['ftp://x.example/', 42], target: 'https://1.1.1.1/' } }),
    ).toEqual([
      expect.stringMatching(/^connectivity\.targets\[0\]: unsupported scheme "ftp:"/),
      'connectivity.targets[1]: expected a URL string such as "https://1.1.1.1/", found number 42',
      'connectivity.target: unknown key "target"; did you mean "targets"?',
    ]);
    expect(problems({ connectivity: {} })).toEqual([
      'connectivity.targets: missing: expected a list of URLs, such as ["https://1.1.1.1/"]',
    ]);
  });
});
