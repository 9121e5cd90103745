/**
 * The status page's only style sheet, inline, allowed by its hash in the Content-Security-Policy (no
 * `unsafe-inline`, no scripts at all). Colours are in PALETTE so the contrast test can check every pair
 * the page uses for text (WCAG AA: 4.5:1); the light and dark schemes follow `prefers-color-scheme`.
 */

import { createHash } from 'node:crypto';

/** Text colours on their backgrounds, per scheme; state pills and the banner carry white text. */
export const PALETTE = {
  light: {
    bg: '#f6f7f9',
    card: '#ffffff',
    fg: '#1b1f24',
    muted: '#4d5560',
    border: '#d0d7de',
    nodata: '#d0d7de',
  },
  dark: {
    bg: '#0d1117',
    card: '#161b22',
    fg: '#e6edf3',
    muted: '#a4afba',
    border: '#30363d',
    nodata: '#3a424b',
  },
  /** Backgrounds under white text: state pills, the banner. */
  states: {
    up: '#1a7f37',
    degraded: '#8a5300',
    down: '#c5221f',
    unknown: '#5c636a',
    major: '#9d1418',
  },
  /** Day bars (graphics, not text: WCAG asks 3:1 against the card, which the legend's words back up). */
  bars: { good: '#2da44e', some: '#bf8700', bad: '#cf222e' },
} as const;

const { light, dark, states, bars } = PALETTE;

export const PAGE_CSS = `
:root { color-scheme: light dark; --bg: ${light.bg}; --card: ${light.card}; --fg: ${light.fg}; --muted: ${light.muted}; --border: ${light.border}; --nodata: ${light.nodata}; }
@media (prefers-color-scheme: dark) {
  :root { --bg: ${dark.bg}; --card: ${dark.card}; --fg: ${dark.fg}; --muted: ${dark.muted}; --border: ${dark.border}; --nodata: ${dark.nodata}; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; overflow-wrap: anywhere; }
.wrap { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 0; }
p { margin: 0.25rem 0; }
.muted, .site-meta, footer { color: var(--muted); }
.banner { margin: 1rem 0; padding: 0.9rem 1rem; border-radius: 0.5rem; color: #fff; font-weight: 600; font-size: 1.1rem; }
.banner-operational { background: ${states.up}; }
.banner-degraded { background: ${states.degraded}; }
.banner-partial-outage { background: ${states.down}; }
.banner-major-outage { background: ${states.major}; }
.banner-offline, .banner-no-data { background: ${states.unknown}; }
.sites { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
.site { background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.9rem 1rem; min-width: 0; }
.site-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
.state { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 1rem; color: #fff; font-weight: 600; font-size: 0.9rem; white-space: nowrap; }
.state-up { background: ${states.up}; }
.state-degraded { background: ${states.degraded}; }
.state-down { background: ${states.down}; }
.state-unknown { background: ${states.unknown}; }
.site-meta { font-size: 0.9rem; }
.bars { display: flex; gap: 1px; height: 2rem; margin: 0.6rem 0 0.2rem; }
.bar { flex: 1 1 0; min-width: 0; border-radius: 1px; background: var(--nodata); }
.bar-good { background: ${bars.good}; }
.bar-some { background: ${bars.some}; }
.bar-bad { background: ${bars.bad}; }
.bar-legend { display: flex; justify-content: space-between; font-size: 0.8rem; color: var(--muted); }
.uptime { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0.5rem 0 0; }
.uptime div { display: flex; gap: 0.35rem; }
.uptime dt { color: var(--muted); }
.uptime dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.incidents { margin: 0.5rem 0 0; padding-left: 1.2rem; font-size: 0.95rem; }
.locations { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0.5rem 0 0; padding: 0; font-size: 0.9rem; }
.incident-open { font-weight: 600; }
details { margin-top: 0.5rem; }
summary { cursor: pointer; color: var(--muted); }
footer { margin: 2rem 0 1rem; font-size: 0.85rem; }
`.trim();

export const PAGE_CSS_HASH = `sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}`;

/**
 * For the page: nothing may load or run but its own inline style sheet (and the empty data: icon that
 * stops the browser asking for /favicon.ico). `frame-ancestors` only works as a header (server.ts adds it).
 */
export const PAGE_CSP = `default-src 'none'; style-src '${PAGE_CSS_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;
