// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_OPTIONS } from '../../src/core/site.js';
import { problemLines as problems } from './problems.js';

function sites(config: unknown) {
  return parseConfig(JSON.stringify(config), 'sites.json', {}).sites;
}

describe('watch options (failureThreshold, successThreshold, repeatAfter)', () => {
  it('default to one failure, one success and no reminders', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ failureThreshold: 1, successThreshold: 1, repeatAfter: null });
    expect(sites(['https://a.example/'])[0]).toMatchObject({
      failureThreshold: 1,
      successThreshold: 1,
      repeatAfter: null,
    });
  });

  it('are set in defaults and overridden per site, null included', () => {
    const [a, b] = sites({
      defaults: { failureThreshold: 3, successThreshold: 2, repeatAfter: '1h' },
      sites: ['https://a.example/', { url: 'https://b.example/', failureThreshold: 1, repeatAfter: null }],
    });
    expect(a).toMatchObject({ failureThreshold: 3, successThreshold: 2, repeatAfter: 3_600_000 });
    expect(b).toMatchObject({ failureThreshold: 1, successThreshold: 2, repeatAfter: null });
  });

  it('read repeatAfter as a duration or milliseconds', () => {
    const durations = ['30m', '4h', '1d', 90_000].map(
      (repeatAfter) => sites([{ url: 'https://a.example/', repeatAfter }])[0]?.repeatAfter,
    );
    expect(durations).toEqual([1_800_000, 14_400_000, 86_400_000, 90_000]);
  });

  it('report every bad value at once, with what is allowed', () => {
    const found = problems({
      sites: [
        { url: 'https://a.example/', failureThreshold: 0, successThreshold: '2' },
        { url: 'https://b.example/', repeatAfter: '10s' },
        { url: 'https://c.example/', repeatAfter: true, successThreshold: 101 },
      ],
    });
    expect(found).toEqual([
      'sites[0].failureThreshold: expected a whole number of sweeps from 1 to 100, found number 0',
      'sites[0].successThreshold: expected a whole number of sweeps from 1 to 100, found string "2" (write numbers without quotes; ${VAR} works in strings only)',
      expect.stringMatching(
        /^sites\[1\]\.repeatAfter: expected a whole number of milliseconds from 60000 .*\(1m to 30d\), or null for no reminders, found string "10s"$/,
      ),
      'sites[2].successThreshold: expected a whole number of sweeps from 1 to 100, found number 101',
      expect.stringMatching(
        /^sites\[2\]\.repeatAfter: expected a whole number of milliseconds .*found boolean true$/,
      ),
    ]);
  });
});
