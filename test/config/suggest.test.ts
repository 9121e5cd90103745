import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein } from '../../src/util/suggest.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('', 'ab')).toBe(2);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('timeout', 'timeoutMs')).toBe(2);
    expect(levenshtein('retry', 'retries')).toBe(3);
  });
});

describe('didYouMean', () => {
  const keys = ['url', 'name', 'method', 'timeoutMs', 'retries'];

  it('prefers a case-insensitive match', () => {
    expect(didYouMean('Method', keys)).toBe('method');
    expect(didYouMean('get', ['HEAD', 'GET'])).toBe('GET');
  });

  it('suggests the closest key within two edits', () => {
    expect(didYouMean('timeout', keys)).toBe('timeoutMs');
    expect(didYouMean('TimeOut', keys)).toBe('timeoutMs');
    expect(didYouMean('methd', keys)).toBe('method');
    expect(didYouMean('retires', keys)).toBe('retries');
  });

  it('suggests a key with the same stem when edits are too many', () => {
    expect(didYouMean('retry', keys)).toBe('retries');
    expect(didYouMean('expected', ['expectStatus', 'headers'])).toBe('expectStatus');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('POST', ['HEAD', 'GET'])).toBeUndefined();
  });
});
