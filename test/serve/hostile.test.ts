/**
 * Hostile strings in every field that reaches the page, the badges and status.json: site names and groups
 * from the config, error messages and causes from servers, the page's title and description. Each must
 * come out as text: no element, attribute or control character of its own.
 */

import { describe, expect, it } from 'vitest';
import { siteBadge } from '../../src/serve/status/badge.js';
import { renderStatusPage } from '../../src/serve/status/html.js';
import { renderStatusJson } from '../../src/serve/status/json.js';
import type { StatusModel } from '../../src/serve/status/model.js';
import { hostileModel, hostileText } from './fixtures.js';

const ALL_TEXT = hostileText();

const PAGE_TAGS = new Set(
  'html head meta title link style body div header h1 p main section h2 ul li h3 span time code dl dt dd details summary ol footer'.split(
    ' ',
  ),
);
const SVG_TAGS = new Set('svg title linearGradient stop clipPath rect g text'.split(' '));

function tags(markup: string): string[] {
  return [...markup.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1] ?? '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])/;

describe('hostile strings', () => {
  const hostile = hostileModel();

  it('stay text in the page: only the template makes elements, no control character gets through', () => {
    const html = renderStatusPage(hostile);
    expect(tags(html).filter((t) => !PAGE_TAGS.has(t.toLowerCase()))).toEqual([]);
    // No event-handler attribute in any tag: quoted values (which never hold a raw `"`) set aside first.
    expect(html.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(html).not.toMatch(CONTROL);
    // Shown, escaped, in each place: title, heading, group, name, cause, description.
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(7);
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('ctl\ufffd\ufffd\ufffd[31m\ufffd\ufffd\ufffdend');
    // Exactly one <title>, one <style> and no element from the strings.
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/<\/title>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
  });

  it('stay text in the badges of both kinds', () => {
    for (const type of ['state', 'uptime'] as const) {
      const svg = siteBadge(hostile.sites[0] as NonNullable<(typeof hostile.sites)[0]>, type);
      expect(tags(svg).filter((t) => !SVG_TAGS.has(t))).toEqual([]);
      expect(svg).not.toMatch(CONTROL);
      expect(svg.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son[a-z]+=/i);
      expect(svg).toContain('&lt;script&gt;');
    }
  });

  it('come back unchanged from status.json, with no < > & a HTML parser could act on', () => {
    const json = renderStatusJson(hostile);
    expect(json).not.toMatch(/[<>&]/);
    expect(json).not.toMatch(CONTROL);
    const parsed = JSON.parse(json) as StatusModel;
    expect(parsed.sites[0]?.name).toBe(`Shop ${ALL_TEXT}`);
    expect(parsed.sites[0]?.group).toBe(`Group ${ALL_TEXT}`);
    expect(parsed.sites[0]?.openIncidents[0]?.cause).toBe(`HTTP 500 ${ALL_TEXT}`);
    expect(parsed.title).toBe(`Status ${ALL_TEXT}`);
  });
});
