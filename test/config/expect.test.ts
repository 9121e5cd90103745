import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';
import { problemLines as problems } from './problems.js';

function sites(config: unknown) {
  return parseConfig(JSON.stringify(config), 'sites.json', {}).sites;
}

describe('config: expect, maxBodyBytes, certExpiry', () => {
  it('are absent or their defaults without a word in the config', () => {
    const [a] = sites(['https://a.example/']);
    expect(a).toMatchObject({
      method: 'HEAD',
      expect: undefined,
      maxBodyBytes: 1024 * 1024,
      certExpiry: { warnDays: [30, 14, 7, 1] },
    });
  });

  it('resolve each assertion to its check, and a body assertion makes the check a GET', () => {
    const [a] = sites({
      sites: [
        {
          url: 'https://a.example/',
          expect: {
            bodyContains: 'Welcome',
            bodyNotContains: ['Error', 'Maintenance'],
            bodyMatches: '(?i)version: 2',
            json: { '$.status': 'ok', '$.count': 3, version: { matches: '^2\\.' }, error: { exists: false } },
            headers: { 'Content-Type': 'application/json', 'X-Id': { matches: '^[a-f0-9]+$' } },
            maxResponseMs: '1.5s',
          },
        },
      ],
    });
    expect(a?.method).toBe('GET');
    expect(a?.expect).toEqual({
      bodyContains: ['Welcome'],
      bodyNotContains: ['Error', 'Maintenance'],
      bodyMatches: '(?i)version: 2',
      json: {
        '$.status': { equals: 'ok' },
        '$.count': { equals: 3 },
        version: { matches: '^2\\.' },
        error: { exists: false },
      },
      headers: { 'content-type': { equals: 'application/json' }, 'x-id': { matches: '^[a-f0-9]+$' } },
      maxResponseMs: 1500,
    });
  });

  it('merge a site’s expect over the defaults’ key by key; expect.status is expectStatus', () => {
    const [a, b] = sites({
      defaults: { expect: { maxResponseMs: 800, status: [200] } },
      sites: [
        { url: 'https://a.example/', expect: { headers: { server: { exists: true } } } },
        { url: 'https://b.example/', expectStatus: ['2xx'], expect: { maxResponseMs: 300 } },
      ],
    });
    expect(a).toMatchObject({ method: 'HEAD', expectStatus: [{ min: 200, max: 200 }] });
    expect(a?.expect).toEqual({ maxResponseMs: 800, headers: { server: { exists: true } } });
    expect(b).toMatchObject({ expectStatus: [{ min: 200, max: 299 }], expect: { maxResponseMs: 300 } });
  });

  it('sort and deduplicate warnDays; [] turns the warnings off', () => {
    const [a, b] = sites({
      sites: [
        { url: 'https://a.example/', certExpiry: { warnDays: [7, 30, 7, 1] } },
        { url: 'https://b.example/', certExpiry: { warnDays: [] } },
      ],
    });
    expect(a?.certExpiry.warnDays).toEqual([30, 7, 1]);
    expect(b?.certExpiry.warnDays).toEqual([]);
  });

  it('say that an assertion written beside the options belongs in expect', () => {
    expect(
      problems({ sites: [{ url: 'https://a.example/', maxResponseMs: 500, bodyContains: 'x' }] }),
    ).toEqual([
      'sites[0].maxResponseMs: misplaced key: "maxResponseMs" is an assertion: it belongs in "expect" (on a site or in "defaults"), not on a site',
      'sites[0].bodyContains: misplaced key: "bodyContains" is an assertion: it belongs in "expect" (on a site or in "defaults"), not on a site',
    ]);
  });

  it('refuse what cannot run, every problem at once with its path', () => {
    const lines = problems({
      defaults: { timeoutMs: '2s' },
      sites: [
        { url: 'https://a.example/', expect: { bodyMatches: '(a)\\1' } },
        { url: 'https://b.example/', expect: { json: { 'a.[': 'x' } } },
        { url: 'https://c.example/', expect: { maxResponseMs: '5s' } },
        { url: 'https://d.example/', method: 'HEAD', expect: { bodyContains: 'x' } },
        { url: 'https://e.example/', expect: { headers: { 'x-a': { matches: '(?<=a)b' } } } },
        { url: 'https://f.example/', expectStatus: [200], expect: { status: [200] } },
        { url: 'https://g.example/', expect: { bodyContains: '' }, maxBodyBytes: 10 },
        {
          url: 'https://h.example/',
          certExpiry: { warnDays: [0] },
          expect: { json: { a: { exists: 'yes' } } },
        },
      ],
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^sites\[0\]\.expect\.bodyMatches: not a regular expression uptime-squirrel can run \(invalid escape sequence: `\\1`\); RE2 syntax/,
      ),
      expect.stringMatching(
        /^sites\[1\]\.expect\.json\["a\.\["\]: not a JMESPath expression \(.+\); write paths such as/,
      ),
      "sites[2].expect.maxResponseMs: maxResponseMs 5000 ms is longer than the site's timeoutMs 2000 ms: a response that slow times out before it can be degraded; make maxResponseMs smaller or timeoutMs larger",
      'sites[3].method: expect.bodyContains reads the body, and a HEAD response has none (method "HEAD" from sites[3].method): remove "method" (a body assertion makes the check a GET) or set it to "GET"',
      expect.stringMatching(
        /^sites\[4\]\.expect\.headers\["x-a"\]\.matches: not a regular expression .*\(\?<=/,
      ),
      'sites[5].expect.status: the statuses are given twice, in expectStatus and in expect.status: keep one',
      expect.stringMatching(/^sites\[6\]\.expect\.bodyContains: /),
      expect.stringMatching(
        /^sites\[6\]\.maxBodyBytes: expected a whole number of bytes from 1024 to 67108864/,
      ),
      'sites[7].expect.json.a.exists: expected true or false, found string "yes"',
      expect.stringMatching(
        /^sites\[7\]\.certExpiry\.warnDays\[0\]: expected a whole number of days from 1 to 365/,
      ),
    ]);
  });

  it('validate lists which assertions each site has (not their values), the body cap and warnDays', () => {
    const config = parseConfig(
      JSON.stringify({
        sites: [
          {
            url: 'https://a.example/',
            expect: { bodyContains: ['a', 'b'], json: { x: 1 }, maxResponseMs: 800 },
            certExpiry: { warnDays: [60, 30] },
          },
          { url: 'https://b.example/', expect: { headers: { server: 'x' } }, certExpiry: { warnDays: [] } },
        ],
      }),
      'sites.json',
      {},
    );
    expect(describeConfig(config).split('\n').slice(1)).toEqual([
      '  https://a.example/: GET, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399; asserts bodyContains (2), json (1), degraded over 800ms, body read up to 1 MiB; certificate warnings at 60, 30 days',
      '  https://b.example/: HEAD, timeout 10s per attempt, 1 retry (at most 20.5s), expect 200-399; asserts headers (1); no certificate warnings',
    ]);
  });
});
