/** The words of a verdict, for failures a local test cannot stage (a connect timeout needs a network that drops packets). */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/core/result.js';
import { classifyError, timeoutVerdict } from '../../src/probe/classify.js';

const direct = { hostname: 'dual.test', addresses: [], proxy: null, authority: 'dual.test:443' };

describe('timeout messages', () => {
  it('a connect timeout names every address tried', () => {
    const verdict = timeoutVerdict('connect', 10_000, {
      ...direct,
      addresses: ['[2001:db8::7]:443', '203.0.113.7:443'],
    });
    expect(verdict).toEqual({
      kind: 'timeout',
      message:
        'no answer within 10 s: waited to connect to [2001:db8::7]:443, 203.0.113.7:443 (connect timeout)',
      retryable: true,
    });
  });

  it('through a proxy, a lookup or connect timeout blames the proxy; the tunnel names the site', () => {
    const via = { ...direct, proxy: 'http://***@proxy.example:3128', addresses: ['192.0.2.1:3128'] };
    expect(timeoutVerdict('connect', 5000, via)).toMatchObject({
      kind: 'proxy',
      message:
        'proxy http://***@proxy.example:3128 is not reachable: it did not accept a connection to 192.0.2.1:3128 within 5 s',
    });
    expect(timeoutVerdict('dns', 5000, via).kind).toBe('proxy');
    expect(timeoutVerdict('proxy', 5000, via)).toMatchObject({
      kind: 'timeout',
      message:
        'no answer within 5 s: waited for proxy http://***@proxy.example:3128 to open a tunnel to dual.test:443',
    });
  });
});

describe('error messages', () => {
  const failure = (code: string, address: string, port: number) =>
    Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port });

  it("a refusal by every address of a name (Node's AggregateError) names each with what it came to", () => {
    const err = Object.assign(
      new AggregateError([
        failure('ENETUNREACH', '2001:db8::7', 443),
        failure('ECONNREFUSED', '203.0.113.7', 443),
      ]),
      {
        code: 'ENETUNREACH',
      },
    );
    expect(classifyError(err, 'dual.test', 'connect')).toEqual({
      kind: 'refused',
      message:
        'no address of dual.test accepted a connection: [2001:db8::7]:443 unreachable (ENETUNREACH), 203.0.113.7:443 refused',
      retryable: true,
    });
  });

  it('an unreachable address is named with its port', () => {
    expect(classifyError(failure('EHOSTUNREACH', '203.0.113.7', 80), 'site.example', 'connect').message).toBe(
      'site.example (203.0.113.7:80) is unreachable from here (EHOSTUNREACH)',
    );
  });

  it('HTTP/2 frames where an HTTP/1.1 status line belongs mean an h2c-only server', () => {
    const err = Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), {
      name: 'HTTPParserError',
      data: '\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00',
    });
    expect(classifyError(err, 'grpc.example', 'headers')).toMatchObject({
      kind: 'protocol',
      retryable: false,
    });
    expect(classifyError(err, 'grpc.example', 'headers').message).toContain('h2c');
  });
});

describe('README', () => {
  it('documents every kind in the table of "What a check does"', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## What a check does'), readme.indexOf('## JSON output'));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...KINDS]);
  });
});
