// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJsonSchema } from '../../src/config/json-schema.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_OPTIONS } from '../../src/core/site.js';

const root = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');

describe('sites.schema.json', () => {
  it('is what the generator produces now (run `npm run schema` after changing schema.ts)', () => {
    expect(root('sites.schema.json')).toBe(renderJsonSchema());
  });

  it('lists every per-site option, with a description, for sites and for defaults', () => {
    const schema = JSON.parse(renderJsonSchema());
    const site = schema.$defs.Site.properties;
    const defaults = schema.anyOf[1].properties.defaults.properties;
    expect(Object.keys(site)).toEqual(['url', 'name', ...Object.keys(DEFAULT_OPTIONS), 'group', 'locations']);
    expect(Object.keys(defaults)).toEqual(Object.keys(DEFAULT_OPTIONS));
    for (const [key, field] of Object.entries({ ...site, ...defaults })) {
      expect((field as { description?: string }).description, key).toMatch(/\w/);
    }
    expect(site.retries.description).toContain('${VAR} substitution applies to strings only');
  });

  it('says timeoutMs is the time for one attempt, bounds the whole check, and takes both forms', () => {
    const schema = JSON.parse(renderJsonSchema());
    const timeout = schema.$defs.Site.properties.timeoutMs;
    expect(timeout.description).toContain('ONE attempt');
    expect(timeout.description).toContain('(retries + 1) x timeoutMs plus a 500 ms pause before each retry');
    expect(timeout.description).toContain('--timeout overrides it');
    expect(timeout.anyOf).toEqual([
      { type: 'integer', minimum: 100, maximum: 600000 },
      { type: 'string', pattern: expect.stringContaining('(?:ms|s|m|h|d)') },
    ]);
  });
});

describe('sites.example.json', () => {
  it('validates and points editors at the schema', () => {
    const text = root('sites.example.json');
    expect(JSON.parse(text).$schema).toBe('./sites.schema.json');
    const config = parseConfig(text, 'sites.example.json', {});
    expect(config.sites.length).toBe(8);
    expect(config.sites.every((s) => s.timeoutMs === 10_000 && s.retries === 1)).toBe(true);
    expect(config.sites.find((s) => s.name === 'Node.js')?.method).toBe('GET');
  });
});
