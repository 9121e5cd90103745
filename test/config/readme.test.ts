// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SECTION = README.slice(
  README.indexOf('## The config file\n'),
  README.indexOf('## What a check does\n'),
);

/** The fenced blocks of one language in the README's config section, in order. */
function blocks(language: string): string[] {
  return [...SECTION.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (m) => m[1] ?? '',
  );
}

describe("the README's config section", () => {
  it('shows a JSON and a YAML example that load to the same config', () => {
    const env = { API_TOKEN: 't0k' };
    const [json] = blocks('json');
    const [yaml] = blocks('yaml');
    const fromJson = parseConfig(json ?? '', 'sites.json', env);
    const fromYaml = parseConfig(yaml ?? '', 'sites.yaml', env);
    expect({ ...fromYaml, file: null }).toEqual({ ...fromJson, file: null });
    expect(fromJson.sites[1]?.headers).toEqual({ Authorization: 'Bearer t0k' });
  });

  it('shows monitor-offline settings that validate as the table says', () => {
    const example = blocks('json').find((block) => block.includes('"connectivity"')) ?? '';
    const config = parseConfig(
      JSON.stringify({ sites: ['https://a.example/'], ...JSON.parse(example) }),
      'sites.json',
      {},
    );
    expect(config.offline).toEqual({ ratio: 0.8, minSites: 5 });
    expect(config.connectivity?.targets).toHaveLength(2);
  });

  it('quotes the bare-number hint as the validator words it', () => {
    const quoted = /sites\.json: (defaults\.timeoutMs: .*)/.exec(SECTION)?.[1];
    let message = '';
    try {
      parseConfig('{"defaults": {"timeoutMs": 5}, "sites": ["https://a.example/"]}', 'sites.json', {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(quoted).toBeDefined();
    expect(message).toContain(quoted);
  });
});
