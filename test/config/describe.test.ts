// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';

describe('describeConfig', () => {
  it('summarises counts and one line per site', () => {
    const text = readFileSync(new URL('../fixtures/config/valid-object.json', import.meta.url), 'utf8');
    expect(describeConfig(parseConfig(text, 'conf/sites.json', {}))).toBe(
      [
        'conf/sites.json is valid: 2 sites, 1 channel',
        '  https://example.com: HEAD, timeout 5s per attempt, 2 retries (at most 16s), expect 200-299',
        '  API (https://api.example.com/health): GET, timeout 2s per attempt, no retry, expect 200, 300-302, 404',
      ].join('\n'),
    );
  });

  it('uses singular counts and zero channels', () => {
    const config = parseConfig('[{"url": "https://example.com", "timeoutMs": 1500}]', 'sites.json', {});
    expect(describeConfig(config)).toBe(
      'sites.json is valid: 1 site, 0 channels\n  https://example.com: HEAD, timeout 1.5s per attempt, 1 retry (at most 3.5s), expect 200-399',
    );
  });

  it('says when the monitor-offline rule is off or not the default, and lists connectivity targets', () => {
    const lines = (extra: object) =>
      describeConfig(parseConfig(JSON.stringify({ sites: ['https://a.example/'], ...extra }), 's.json', {}))
        .split('\n')
        .slice(2);
    expect(lines({})).toEqual([]);
    expect(lines({ offline: false })).toEqual([
      'monitor-offline rule: off (every failed site is alerted, even when all fail at once)',
    ]);
    expect(
      lines({ offline: { ratio: 0.95 }, connectivity: { targets: ['https://u:pw@one.example/'] } }),
    ).toEqual([
      'monitor-offline rule: 95% of at least 5 sites failing without a response',
      'connectivity targets: https://***@one.example/',
    ]);
  });

  it('redacts credentials and secret query values, and never shows headers', () => {
    const text = JSON.stringify([
      {
        url: 'https://ops:hunter2@example.com/?token=${TOKEN}&page=1',
        headers: { Authorization: 'Bearer ${TOKEN}' },
      },
    ]);
    const out = describeConfig(parseConfig(text, 'sites.json', { TOKEN: 's3cr3t-value' }));
    expect(out).toContain('https://***@example.com/?token=***&page=1');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('s3cr3t-value');
  });
});
