import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { secretsIn, siteSpec } from '../../src/strategies/queue/protocol.js';

const site = (extra: Partial<Site> = {}): Site => ({
  ...DEFAULT_OPTIONS,
  url: 'https://example.test/',
  name: null,
  ...extra,
});

describe('what a queued job carries of a site', () => {
  it('a plain site: the basics and its body cap and certificate thresholds, nothing unset', () => {
    expect(Object.keys(siteSpec(site())).sort()).toEqual([
      'certExpiry',
      'expectStatus',
      'headers',
      'maxBodyBytes',
      'maxRedirects',
      'method',
      'name',
      'retries',
      'timeoutMs',
      'url',
    ]);
  });

  it('the request options and assertions travel with the site', () => {
    const body = { text: 'token=b0dy-s3cret', contentType: 'text/plain' };
    const spec = siteSpec(
      site({
        method: 'POST',
        body,
        proxy: 'http://u:pr0xy-s3cret@proxy.test:3128',
        ipFamily: 4,
        expect: { bodyContains: ['ok'] },
      }),
    );
    expect(spec).toMatchObject({ method: 'POST', body, ipFamily: 4, expect: { bodyContains: ['ok'] } });
    // The secrets in them are masked in the batch's results like a header's.
    expect(secretsIn([spec], ['b0dy-s3cret', 'pr0xy-s3cret', 'elsewhere'])).toEqual([
      'b0dy-s3cret',
      'pr0xy-s3cret',
    ]);
  });
});
