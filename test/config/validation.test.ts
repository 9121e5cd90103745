import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigProblem } from '../../src/core/errors.js';
import { configProblems } from './problems.js';

function problemsIn(fixture: string): ConfigProblem[] {
  return configProblems(
    readFileSync(new URL(`../fixtures/config/${fixture}`, import.meta.url), 'utf8'),
    fixture,
  );
}

const problem = (path: string, message: RegExp) => ({ path, message: expect.stringMatching(message) });

describe('config validation', () => {
  it('rejects an empty site list, in either form', () => {
    expect(problemsIn('empty-list.json')).toEqual([problem('sites', /site list is empty.*at least one URL/)]);
    expect(problemsIn('empty-sites.json')).toEqual([problem('sites', /site list is empty/)]);
  });

  it('rejects an object without "sites" and a root that is neither list nor object', () => {
    expect(problemsIn('missing-sites.json')).toEqual([
      problem('sites', /^missing: expected a list of sites/),
    ]);
    expect(problemsIn('root-scalar.json')).toEqual([
      problem(
        '(root)',
        /expected a list of sites or an object with "sites", found string "https:\/\/example.com"/,
      ),
    ]);
  });

  it('names the scheme of non-http(s) URLs and says only http and https are checked', () => {
    const only = /only http and https URLs are checked/;
    expect(problemsIn('unsupported-schemes.json')).toEqual([
      problem('sites[0]', new RegExp(`"file:".*${only.source}`)),
      problem('sites[1]', new RegExp(`"data:".*${only.source}`)),
      problem('sites[2]', new RegExp(`"javascript:".*${only.source}`)),
      problem('sites[3]', new RegExp(`"ftp:".*${only.source}`)),
      problem('sites[4].url', new RegExp(`"mailto:".*${only.source}`)),
    ]);
  });

  it('explains malformed URLs', () => {
    expect(problemsIn('malformed-urls.json')).toEqual([
      problem('sites[0]', /absolute URL.*found "example.com"; did you mean "https:\/\/example.com"\?/),
      problem('sites[1]', /"exa mple.com" is not a valid host name/),
      problem('sites[2]', /expected "https:\/\/" followed by a host, found "https:example.com"/),
      problem('sites[3]', /absolute URL starting with http:\/\/ or https:\/\/, found ""/),
      problem('sites[4].url', /expected a URL string.*found number 42/),
      problem('sites[5].url', /^missing: expected a URL string/),
    ]);
  });

  it('rejects ports out of range or not numeric, and URLs without a host', () => {
    expect(problemsIn('bad-ports.json')).toEqual([
      problem('sites[0]', /port 0 is out of range: allowed 1 to 65535/),
      problem('sites[1]', /port 65536 is out of range: allowed 1 to 65535/),
      problem('sites[2]', /port "http" is not a number/),
      problem('sites[3]', /no host after "https:\/\/"/),
      problem('sites[4]', /no host after "http:\/\/"/),
      problem('sites[5]', /port 99999 is out of range/),
    ]);
  });

  it('reports unknown keys with a did-you-mean when one is close, else the allowed keys', () => {
    expect(problemsIn('unknown-keys.json')).toEqual([
      problem('defaults.retry', /unknown key "retry"; did you mean "retries"?/),
      problem('default', /unknown key "default"; did you mean "defaults"\?/),
      problem('sites[0].timeout', /unknown key "timeout"; did you mean "timeoutMs"\?/),
      problem('sites[0].Method', /unknown key "Method"; did you mean "method"\?/),
      problem('sites[0].colour', /unknown key "colour"; allowed keys are url, name, method/),
    ]);
  });

  it('says which type was expected and which was found', () => {
    expect(problemsIn('wrong-types.json')).toEqual([
      problem('defaults.headers', /expected an object of header names to values.*found an array/),
      problem('defaults.retries', /expected a whole number of retries.*found boolean true/),
      problem('channels.ops', /expected an object of channel settings, found string "mail"/),
      problem('sites[0].name', /expected a non-empty string, found number 3/),
      problem(
        'sites[0].timeoutMs',
        /expected a whole number of milliseconds from 100 to 600000, or a duration with a unit .*\(1ms to 10m\), found string "10 seconds"$/,
      ),
      problem('sites[0].maxRedirects', /expected a whole number of redirects .*found null/),
      problem(
        'sites[1].timeoutMs',
        /found string "5000" \(a duration string needs a unit, such as "5000ms"; or write the number without quotes\)$/,
      ),
      problem('sites[1].expectStatus', /expected a list of statuses.*found number 200/),
      problem('sites[2]', /expected a URL string or an object with "url", found boolean true/),
    ]);
  });

  it('gives the allowed range of numbers with the value found', () => {
    expect(problemsIn('out-of-range.json')).toEqual([
      problem('sites[0].timeoutMs', /whole number of milliseconds from 100 to 600000, .*found number 0$/),
      problem('sites[1].timeoutMs', /from 100 to 600000, .*found number 600001$/),
      problem('sites[2].timeoutMs', /whole number of milliseconds from 100 to 600000, .*found number 1.5$/),
      problem('sites[3].maxRedirects', /from 0 to 20, found number 21/),
      problem('sites[4].retries', /from 0 to 10, found number -1/),
      problem('sites[5].retries', /from 0 to 10, found number 11/),
    ]);
  });

  it('checks each expected status: codes, ranges and classes', () => {
    const allowed = /a status code like 200, a range like "200-399" or a class like "2xx"/.source;
    expect(problemsIn('expect-status.json')).toEqual([
      problem('sites[0].expectStatus[0]', /status code from 100 to 599, found number 99/),
      problem('sites[0].expectStatus[1]', /status code from 100 to 599, found number 600/),
      problem('sites[0].expectStatus[2]', /range "399-200" runs backwards.*"200-399"/),
      problem('sites[0].expectStatus[3]', new RegExp(`${allowed}.*found string "6xx"`)),
      problem('sites[0].expectStatus[4]', new RegExp(`${allowed}.*found string "abc"`)),
      problem('sites[0].expectStatus[5]', new RegExp(`${allowed}.*found number 2.5`)),
      problem('sites[0].expectStatus[6]', new RegExp(`${allowed}.*found string "200-600"`)),
      problem('sites[0].expectStatus[7]', new RegExp(`${allowed}.*found boolean false`)),
      problem('sites[1].expectStatus', /list is empty/),
    ]);
  });

  it('checks header names are tokens and values hold no CR, LF or NUL, without echoing values', () => {
    const problems = problemsIn('bad-headers.json');
    expect(problems).toEqual([
      problem('sites[0].headers["X Bad Name"]', /"X Bad Name" is not a valid header name/),
      problem('sites[0].headers["X-Split"]', /contains CR, LF or NUL/),
      problem('sites[0].headers["X-Nul"]', /contains CR, LF or NUL/),
      problem('sites[0].headers["X-Number"]', /expected a header value string, found number 5/),
    ]);
    expect(problems.map((p) => p.message).join('\n')).not.toContain('Injected');
  });

  it('wants names non-empty and methods exactly HEAD, GET, POST, PUT or OPTIONS', () => {
    expect(problemsIn('bad-names.json')).toEqual([
      problem('sites[0].name', /non-empty string, found string ""/),
      problem('sites[1].name', /non-empty string, found string " {3}"/),
      problem('sites[2].name', /non-empty string, found null/),
    ]);
    expect(problemsIn('bad-methods.json')).toEqual([
      problem(
        'sites[0].method',
        /expected "HEAD", "GET", "POST", "PUT" or "OPTIONS", found string "get"; did you mean "GET"\?/,
      ),
      problem(
        'sites[1].method',
        /expected "HEAD", "GET", "POST", "PUT" or "OPTIONS", found string "DELETE"$/,
      ),
    ]);
  });

  it('finds duplicates after normalising scheme, host, default port, empty path and fragment', () => {
    expect(problemsIn('duplicates.json')).toEqual([
      { path: 'sites[4]', message: 'duplicate of sites[1] (https://example.com/)' },
      { path: 'sites[5]', message: 'duplicate of sites[0] (https://example.com/status?full=1)' },
    ]);
  });

  it('accepts any object of objects as channels and nothing else', () => {
    expect(problemsIn('channels-invalid.json')).toEqual([
      problem('channels.ops', /expected an object of channel settings, found string "mail"/),
      problem('channels.list', /expected an object of channel settings, found an array/),
    ]);
  });

  it('reports every problem of a file at once, in site order', () => {
    const problems = problemsIn('many-problems.json');
    expect(problems).toEqual([
      problem('defaults.timeoutMs', /found string "30 seconds"/),
      problem('sites[1]', /"ftp:"/),
      problem('sites[2].retries', /found number 99/),
      problem('sites[2].methd', /did you mean "method"\?/),
      problem('sites[3].expectStatus[1]', /found number 700/),
      problem('sites[4]', /duplicate of sites\[0\]/),
    ]);
  });

  it('puts every problem in the error message with the file name', () => {
    const text = readFileSync(new URL('../fixtures/config/many-problems.json', import.meta.url), 'utf8');
    expect(() => parseConfig(text, 'conf/many.json', {})).toThrow(
      /^Invalid config conf\/many.json \(6 problems\):\n {2}conf\/many.json: defaults.timeoutMs: /,
    );
  });
});
