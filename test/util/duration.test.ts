import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500', 500],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['1.1s', 1_100],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['0', 0],
    [' 10s ', 10_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    ' ',
    '-5',
    '-1s',
    'abc',
    '10x',
    '10 s',
    's',
    '1.5ms',
    '0.1',
    '1e3',
    '10S',
    '.5s',
    '5.s',
    'Infinity',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [500, '500ms'],
    [0, '0ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
  ])('writes %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes what parseDuration reads back', () => {
    for (const ms of [1, 999, 1_001, 59_999, 60_000, 61_500, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
