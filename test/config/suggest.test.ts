import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/util/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('timeout', 'timeoutMs')).toBe(2);
    expect(editDistance('retry', 'retries')).toBe(3);
  });

  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('emial', 'email')).toBe(1);
    expect(editDistance('retires', 'retries')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('abc', 'ca')).toBe(3);
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

  it('finds a swapped pair of letters', () => {
    expect(didYouMean('emial', ['email', 'webhook', 'slack'])).toBe('email');
    expect(didYouMean('ops-mial', ['ops-mail', 'team'])).toBe('ops-mail');
  });

  it('bounds the distance by the length of the words: short words get one edit at most', () => {
    const site = ['url', 'name', 'method', 'timeoutMs', 'expectStatus', 'headers', 'maxRedirects', 'retries'];
    expect(didYouMean('type', site)).toBeUndefined();
    expect(didYouMean('nme', site)).toBe('name');
    expect(didYouMean('to', site)).toBeUndefined();
    expect(didYouMean('ur', site)).toBe('url');
  });

  it('does not take a shared first syllable for the same word', () => {
    const site = ['url', 'name', 'timeoutMs', 'maxRedirects', 'retries'];
    expect(didYouMean('maxResponseTimeMs', site)).toBeUndefined();
    expect(didYouMean('maxRedirect', site)).toBe('maxRedirects');
    expect(didYouMean('timeoutSeconds', site)).toBe('timeoutMs');
    expect(didYouMean('retryDelay', site)).toBeUndefined();
  });
});
