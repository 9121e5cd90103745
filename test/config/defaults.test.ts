import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_OPTIONS } from '../../src/core/site.js';

const read = (name: string) => readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8');

describe('resolving options', () => {
  it('gives a plain list the built-in defaults', () => {
    const config = parseConfig(read('valid-list.json'), 'valid-list.json', {});
    expect(config.sites).toEqual([
      { ...DEFAULT_OPTIONS, url: 'https://example.com', name: null },
      { ...DEFAULT_OPTIONS, url: 'http://example.org:8080/health?full=1', name: null },
    ]);
    expect(config.channels).toEqual({});
    expect(config.secrets).toEqual([]);
  });

  it('applies `defaults` over the built-in defaults', () => {
    const [site] = parseConfig(read('valid-object.json'), 'valid-object.json', {}).sites;
    expect(site).toEqual({
      url: 'https://example.com',
      name: null,
      method: 'HEAD',
      timeoutMs: 5000,
      expectStatus: [{ min: 200, max: 299 }],
      headers: { 'User-Agent': 'squirrel-test', Accept: 'text/html' },
      maxRedirects: 5,
      retries: 2,
      failureThreshold: 1,
      successThreshold: 1,
      repeatAfter: null,
      maxBodyBytes: 1024 * 1024,
      certExpiry: { warnDays: [30, 14, 7, 1] },
    });
  });

  it("applies a site's own options over `defaults`, zeros included, and merges headers by name", () => {
    const [, site] = parseConfig(read('valid-object.json'), 'valid-object.json', {}).sites;
    expect(site).toEqual({
      url: 'https://api.example.com/health',
      name: 'API',
      method: 'GET',
      timeoutMs: 2000,
      expectStatus: [
        { min: 200, max: 200 },
        { min: 300, max: 302 },
        { min: 404, max: 404 },
      ],
      // `accept` replaces the default `Accept`: header names are case-insensitive.
      headers: { 'User-Agent': 'squirrel-test', accept: 'application/json', 'X-Probe': '1' },
      maxRedirects: 0,
      retries: 0,
      failureThreshold: 1,
      successThreshold: 1,
      repeatAfter: null,
      maxBodyBytes: 1024 * 1024,
      certExpiry: { warnDays: [30, 14, 7, 1] },
    });
  });

  it('resolves channels through their notifier', () => {
    const config = parseConfig(read('valid-object.json'), 'valid-object.json', {});
    expect(config.channels).toEqual({
      'ops-mail': {
        type: 'email',
        smtp: { secure: false, host: 'mail.example.com', port: 587, user: null, password: null },
        from: 'monitor@example.com',
        to: ['ops@example.com'],
        subjectPrefix: '[uptime-squirrel]',
      },
    });
  });

  it("puts command-line overrides over the config's defaults and over a site's own options", () => {
    const text = JSON.stringify({
      defaults: { timeoutMs: 5000, retries: 2 },
      sites: [
        'https://a.example/',
        { url: 'https://b.example/', timeoutMs: 30000, retries: 0 },
        { url: 'https://c.example/', timeoutMs: '2m', method: 'GET' },
      ],
    });
    const config = parseConfig(text, 'sites.json', {}, { timeoutMs: 1234, retries: 3 });
    expect(config.sites.map((s) => [s.timeoutMs, s.retries, s.method])).toEqual([
      [1234, 3, 'HEAD'],
      [1234, 3, 'HEAD'],
      [1234, 3, 'GET'],
    ]);
  });

  it('keeps what the command line does not set from the site, then the defaults', () => {
    const text = JSON.stringify({
      defaults: { timeoutMs: 5000, retries: 2 },
      sites: ['https://a.example/', { url: 'https://b.example/', timeoutMs: 30000 }],
    });
    const config = parseConfig(text, 'sites.json', {}, { retries: 0 });
    expect(config.sites.map((s) => [s.timeoutMs, s.retries])).toEqual([
      [5000, 0],
      [30000, 0],
    ]);
  });

  it('reads status classes in either case and single codes as one-code ranges', () => {
    const text = '[{"url": "https://example.com", "expectStatus": ["2XX", "5xx", "304", 418, "100-199"]}]';
    expect(parseConfig(text, 'sites.json', {}).sites[0]?.expectStatus).toEqual([
      { min: 200, max: 299 },
      { min: 500, max: 599 },
      { min: 304, max: 304 },
      { min: 418, max: 418 },
      { min: 100, max: 199 },
    ]);
  });

  it('keeps the URL as written and the query as part of its identity', () => {
    const text = '["HTTPS://Example.com:443", "https://example.com/?page=2"]';
    expect(parseConfig(text, 'sites.json', {}).sites.map((s) => s.url)).toEqual([
      'HTTPS://Example.com:443',
      'https://example.com/?page=2',
    ]);
  });

  it('does not share the built-in headers object between sites', () => {
    const config = parseConfig('["https://a.example.com", "https://b.example.com"]', 'sites.json', {});
    expect(config.sites[0]?.headers).not.toBe(DEFAULT_OPTIONS.headers);
    expect(config.sites[0]?.headers).not.toBe(config.sites[1]?.headers);
  });
});
