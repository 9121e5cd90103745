import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { bareMsHint } from '../../src/util/duration.js';
import { duration } from '../../src/util/options.js';
import { problemLines as problems } from './problems.js';

function resolve(config: unknown) {
  return parseConfig(JSON.stringify(config), 'sites.json', {});
}

describe('bareMsHint', () => {
  it('hints at seconds for a bare number from 1 to 99, in text or as a number', () => {
    expect(bareMsHint('5')).toBe(
      '5 ms is too short for a web request: did you mean 5s? (write 5ms to mean 5 ms)',
    );
    expect(bareMsHint(99, '"')).toBe(
      '99 ms is too short for a web request: did you mean "99s"? (write "99ms" to mean 99 ms)',
    );
  });

  it('leaves alone zero, 100 and more, and anything with a unit or a fraction', () => {
    for (const value of ['0', '100', '5000', '5ms', '5s', '1.5', 'abc', 100]) {
      expect(bareMsHint(value), String(value)).toBeNull();
    }
  });
});

describe('duration keys in the config', () => {
  it('take a string with a unit to mean it exactly, short ones included', () => {
    const sites = resolve({
      sites: [
        { url: 'https://a.example/', timeoutMs: '50ms' },
        { url: 'https://b.example/', timeoutMs: '10s' },
        { url: 'https://c.example/', timeoutMs: '2m' },
        { url: 'https://d.example/', timeoutMs: '1.5s' },
      ],
    }).sites;
    expect(sites.map((s) => s.timeoutMs)).toEqual([50, 10_000, 120_000, 1500]);
  });

  it('keep taking whole numbers of milliseconds from 100', () => {
    const sites = resolve({ defaults: { timeoutMs: 100 }, sites: ['https://a.example/'] }).sites;
    expect(sites[0]?.timeoutMs).toBe(100);
  });

  it('refuse a bare number under 100 with the hint, everywhere a duration is asked for', () => {
    expect(
      problems({
        defaults: { timeoutMs: 5 },
        sites: [{ url: 'https://a.example/', timeoutMs: 99 }],
        heartbeat: { url: 'https://hc.example/ping', timeoutMs: 30 },
      }),
    ).toEqual([
      'defaults.timeoutMs: 5 ms is too short for a web request: did you mean "5s"? (write "5ms" to mean 5 ms)',
      'heartbeat.timeoutMs: 30 ms is too short for a web request: did you mean "30s"? (write "30ms" to mean 30 ms)',
      'sites[0].timeoutMs: 99 ms is too short for a web request: did you mean "99s"? (write "99ms" to mean 99 ms)',
    ]);
  });

  it('refuse strings without a unit, unknown units, and values out of range in either form', () => {
    const found = problems({
      sites: [
        { url: 'https://a.example/', timeoutMs: '5000' },
        { url: 'https://b.example/', timeoutMs: '10 s' },
        { url: 'https://c.example/', timeoutMs: '11m' },
        { url: 'https://d.example/', timeoutMs: '0.5ms' },
        { url: 'https://e.example/', timeoutMs: 600_001 },
      ],
    });
    expect(found).toEqual([
      expect.stringMatching(/^sites\[0\]\.timeoutMs: .*found string "5000" \(a duration string needs a unit/),
      expect.stringMatching(/^sites\[1\]\.timeoutMs: expected .*found string "10 s"$/),
      expect.stringMatching(/^sites\[2\]\.timeoutMs: expected .*\(1ms to 10m\), found string "11m"$/),
      expect.stringMatching(/^sites\[3\]\.timeoutMs: expected .*found string "0.5ms"$/),
      expect.stringMatching(/^sites\[4\]\.timeoutMs: expected .*from 100 to 600000, .*found number 600001$/),
    ]);
  });

  it('give the heartbeat timeout the same two forms', () => {
    const config = resolve({
      sites: ['https://a.example/'],
      heartbeat: { url: 'https://hc.example/', timeoutMs: '2s' },
    });
    expect(config.heartbeat?.timeoutMs).toBe(2000);
  });

  it('give a short repeatAfter the range, not the hint: seconds would be too short as well', () => {
    expect(problems({ sites: [{ url: 'https://a.example/', repeatAfter: 5 }] })).toEqual([
      expect.stringMatching(
        /^sites\[0\]\.repeatAfter: expected a whole number of milliseconds from 60000 .*found number 5$/,
      ),
    ]);
  });
});

describe('duration options on the command line', () => {
  const timeout = duration('--timeout', 1, 600_000);

  it('refuse a bare number under 100 with the hint, and take it with a unit', () => {
    expect(() => timeout('5')).toThrow(InvalidArgumentError);
    expect(() => timeout('5')).toThrow(
      '--timeout: 5 ms is too short for a web request: did you mean 5s? (write 5ms to mean 5 ms).',
    );
    expect(timeout('5ms')).toBe(5);
    expect(timeout('5s')).toBe(5000);
    expect(timeout('100')).toBe(100);
  });

  it('keep the range message where the range refuses the value anyway', () => {
    const since = duration('--since', 60_000, 86_400_000);
    expect(() => since('5')).toThrow('--since must be a duration such as 500ms, 10s or 2m (1m to 24h).');
    const latency = duration('--latency', 0, 60_000);
    expect(latency('0')).toBe(0);
    expect(() => latency('50')).toThrow(/50 ms is too short/);
  });
});
