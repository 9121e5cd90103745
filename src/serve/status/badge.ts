/**
 * Shields-style SVG badges ("flat": a grey label, a coloured message): the site's current state, or its
 * 30-day uptime. Text is escaped for XML, the state is in words (never colour alone), and the colours
 * keep white text at WCAG AA contrast (test/serve/contrast.test.ts checks them).
 */

import { cleanText, escapeXml } from './escape.js';
import { formatPct } from './format.js';
import type { SiteState, StatusSite } from './model.js';

export const BADGE_TYPES = ['state', 'uptime'] as const;
export type BadgeType = (typeof BADGE_TYPES)[number];

export const BADGE_COLORS = {
  label: '#555555',
  good: '#1a7f37',
  warn: '#8a5300',
  bad: '#c5221f',
  none: '#5c636a',
} as const;

const STATE_BADGE: Record<SiteState, { text: string; color: string }> = {
  up: { text: 'up', color: BADGE_COLORS.good },
  degraded: { text: 'degraded', color: BADGE_COLORS.warn },
  down: { text: 'down', color: BADGE_COLORS.bad },
  unknown: { text: 'no data', color: BADGE_COLORS.none },
};

/** A label longer than this is cut: a badge sits in a line of text. */
const MAX_LABEL = 40;

/**
 * Approximate advance widths of Verdana 11 px, which is what shields.io measures with: exact widths
 * would need the font; a badge a pixel too wide is harmless, one too narrow clips its text.
 */
function textWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    if (/[iljtf.,:;!'|\s()[\]]/.test(c)) width += 4;
    else if (/[mwMW%@]/.test(c)) width += 10.5;
    else if (/[A-Z0-9#&]/.test(c)) width += 7.6;
    else width += 6.8;
  }
  return Math.ceil(width);
}

function shorten(text: string): string {
  const chars = [...cleanText(text)];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : chars.join('');
}

export function renderBadgeSvg(label: string, message: string, color: string): string {
  const left = shorten(label);
  const right = shorten(message);
  const lw = textWidth(left) + 10;
  const rw = textWidth(right) + 10;
  const w = lw + rw;
  const title = escapeXml(`${left}: ${right}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="${BADGE_COLORS.label}"/><rect x="${lw}" width="${rw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${lw / 2}" y="14">${escapeXml(left)}</text>`,
    `<text x="${lw + rw / 2}" y="14">${escapeXml(right)}</text>`,
    '</g></svg>',
    '',
  ].join('\n');
}

function uptimeColor(pct: number): string {
  if (pct >= 99.9) return BADGE_COLORS.good;
  if (pct >= 99) return BADGE_COLORS.warn;
  return BADGE_COLORS.bad;
}

/** The badge of a site: its state, or (`uptime`) its uptime over 30 days. */
export function siteBadge(site: StatusSite, type: BadgeType): string {
  if (type === 'uptime') {
    const pct = site.uptime['30d'];
    return pct === null
      ? renderBadgeSvg(site.name, 'uptime 30d: no data', BADGE_COLORS.none)
      : renderBadgeSvg(site.name, `uptime 30d: ${formatPct(pct)}`, uptimeColor(pct));
  }
  const badge = STATE_BADGE[site.state];
  return renderBadgeSvg(site.name, badge.text, badge.color);
}
