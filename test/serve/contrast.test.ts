/** WCAG AA: every colour pair the page and the badges use for text has a contrast ratio of at least 4.5:1. */

import { describe, expect, it } from 'vitest';
import { BADGE_COLORS } from '../../src/serve/status/badge.js';
import { PALETTE } from '../../src/serve/status/css.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('colour contrast (WCAG AA, 4.5:1 for text)', () => {
  it('the formula agrees with known values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('text on the page, in both schemes', () => {
    for (const scheme of [PALETTE.light, PALETTE.dark]) {
      for (const bg of [scheme.bg, scheme.card]) {
        expect(contrast(scheme.fg, bg), `${scheme.fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(scheme.muted, bg), `${scheme.muted} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('white text on the state pills, the banner and the badges', () => {
    for (const color of [...Object.values(PALETTE.states), ...Object.values(BADGE_COLORS)]) {
      expect(contrast('#ffffff', color), `white on ${color}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('day bars stand out from the card (3:1 for graphics), data from no data', () => {
    for (const scheme of [PALETTE.light, PALETTE.dark]) {
      for (const bar of Object.values(PALETTE.bars)) {
        expect(contrast(bar, scheme.card), `${bar} on ${scheme.card}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
