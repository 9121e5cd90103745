import { describe, expect, it } from 'vitest';
import { createRedactor, redactUrl } from '../../src/util/redact.js';

describe('redactUrl', () => {
  it.each([
    ['user and password', 'https://alice:s3cret@example.com/x', 'https://***@example.com/x'],
    ['user only', 'https://alice@example.com/', 'https://***@example.com/'],
    ['empty user with password', 'http://:pw@example.com', 'http://***@example.com'],
    ['an @ in an unencoded password', 'https://alice:pa@ss@example.com/', 'https://***@example.com/'],
    ['upper-case scheme', 'HTTPS://bob:pw@example.com/', 'HTTPS://***@example.com/'],
    ['credentials and port', 'http://u:p@127.0.0.1:8080/a?b=1', 'http://***@127.0.0.1:8080/a?b=1'],
  ])('masks credentials: %s', (_what, input, output) => {
    expect(redactUrl(input)).toBe(output);
  });

  it.each([
    'token',
    'access_token',
    'api_key',
    'apiKey',
    'KEY',
    'client_secret',
    'password',
    'passwd',
    'pass',
    'auth',
    'Authorization',
    'signature',
    'X-Amz-Signature',
    'sig',
  ])('masks the value of the query parameter %s, whatever its case', (name) => {
    expect(redactUrl(`https://example.com/hook?${name}=abc123&page=2`)).toBe(
      `https://example.com/hook?${name}=***&page=2`,
    );
    expect(redactUrl(`https://example.com/hook?page=2&${name.toUpperCase()}=abc123`)).toBe(
      `https://example.com/hook?page=2&${name.toUpperCase()}=***`,
    );
  });

  it('judges percent-encoded and plus-encoded parameter names by their decoded text', () => {
    expect(redactUrl('https://example.com/?api%5Fkey=abc')).toBe('https://example.com/?api%5Fkey=***');
    expect(redactUrl('https://example.com/?my+token=abc')).toBe('https://example.com/?my+token=***');
    expect(redactUrl('https://example.com/?%E0%A4%A=1&token=abc')).toBe(
      'https://example.com/?%E0%A4%A=1&token=***',
    );
  });

  it('masks every secret parameter, repeated ones too, and keeps the fragment', () => {
    expect(redactUrl('https://example.com/p?token=a&q=x&token=b&sig=c#token=frag')).toBe(
      'https://example.com/p?token=***&q=x&token=***&sig=***#token=frag',
    );
  });

  it('leaves a URL without secrets exactly as written', () => {
    for (const url of [
      'https://example.com',
      'https://Example.COM:443//a/../b/?q=1&empty=&flag#frag',
      'http://example.com/path?email=someone@example.org&page=2',
      'https://example.com/?q=a%20b&lang=en',
      'not a url at all',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('leaves names without a value, and parameters that only look similar, alone', () => {
    expect(redactUrl('https://example.com/?token&page=1')).toBe('https://example.com/?token&page=1');
    expect(redactUrl('https://example.com/?q=token&v=secret')).toBe('https://example.com/?q=token&v=secret');
  });

  it('does not take an @ in the path or query for credentials', () => {
    expect(redactUrl('https://example.com/users/@alice')).toBe('https://example.com/users/@alice');
    expect(redactUrl('https://example.com?to=a@b.c')).toBe('https://example.com?to=a@b.c');
  });
});

describe('createRedactor', () => {
  it('masks every occurrence of every secret', () => {
    const redact = createRedactor(['s3cret', 'tok-42']);
    expect(redact('s3cret and tok-42, again s3cret')).toBe('*** and ***, again ***');
  });

  it('masks a secret that contains another one whole', () => {
    const redact = createRedactor(['abc', 'xxabcxx']);
    expect(redact('value=xxabcxx; short=abc')).toBe('value=***; short=***');
  });

  it('treats secrets as text, not patterns', () => {
    const redact = createRedactor(['a.b*c', '$(x)']);
    expect(redact('a.b*c axbbc $(x) (x)')).toBe('*** axbbc *** (x)');
  });

  it('ignores empty secrets and leaves text without secrets alone', () => {
    const redact = createRedactor(['', 'p@ss']);
    expect(redact('nothing to hide')).toBe('nothing to hide');
    expect(redact('p@ss')).toBe('***');
    expect(createRedactor([])('abc')).toBe('abc');
    expect(createRedactor([''])('abc')).toBe('abc');
  });
});
