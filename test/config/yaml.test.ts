// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { configProblems } from './problems.js';

const root = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');

const problemsOf = (text: string, file = 'sites.yaml', env: NodeJS.ProcessEnv = {}) =>
  configProblems(text, file, env);

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('sites.example.yaml', () => {
  it('loads to the same config as sites.example.json', () => {
    const fromYaml = parseConfig(root('sites.example.yaml'), 'sites.example.yaml', {});
    const fromJson = parseConfig(root('sites.example.json'), 'sites.example.json', {});
    expect({ ...fromYaml, file: null }).toEqual({ ...fromJson, file: null });
    expect(fromYaml.sites).toHaveLength(8);
  });

  it('points the YAML language server at the schema on its first line', () => {
    expect(root('sites.example.yaml').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./sites.schema.json',
    );
  });
});

describe('YAML config files', () => {
  it('read comments, plain scalars, the list form and flow style alike', () => {
    const config = parseConfig(
      yaml(
        '# the shop and its API',
        '- https://shop.example.com/ # plain',
        '- { url: "https://api.example.com/health", name: API, expectStatus: [200, "300-302", 2xx] }',
      ),
      'sites.yml',
      {},
    );
    expect(config.sites.map((s) => [s.url, s.name])).toEqual([
      ['https://shop.example.com/', null],
      ['https://api.example.com/health', 'API'],
    ]);
    expect(config.sites[1]?.expectStatus).toEqual([
      { min: 200, max: 200 },
      { min: 300, max: 302 },
      { min: 200, max: 299 },
    ]);
  });

  it('read YAML 1.2: yes and no stay strings, so they are refused where a boolean or number is due', () => {
    const problems = problemsOf(yaml('sites:', '  - url: https://a.example/', '    retries: yes'));
    expect(problems).toEqual([
      { path: 'sites[0].retries', message: expect.stringMatching(/found string "yes"/), line: 3, column: 14 },
    ]);
  });

  it('substitute ${VAR} and report an unset one with its line and column', () => {
    const text = yaml(
      'sites:',
      '  - url: https://a.example/?token=${TOKEN}',
      '    headers:',
      '      Authorization: Bearer ${MISSING}',
    );
    expect(problemsOf(text, 'sites.yaml', { TOKEN: 't0k' })).toEqual([
      {
        path: 'sites[0].headers.Authorization',
        message: expect.stringMatching(/environment variable MISSING is not set/),
        line: 4,
        column: 22,
      },
    ]);
    const config = parseConfig(text, 'sites.yaml', { TOKEN: 't0k', MISSING: 's3cret' });
    expect(config.sites[0]?.url).toBe('https://a.example/?token=t0k');
    expect(config.secrets).toEqual(['s3cret']);
  });

  it('report every validation problem at once, each with file:line:column', () => {
    const text = yaml(
      'defaults:',
      '  timeoutMs: 5',
      'sites:',
      '  - https://a.example/',
      '  - url: ftp://files.example/',
      '    methd: GET',
      '  - url: https://b.example/',
      '    smtp: smtp://mail.example',
      '  - https://A.example/',
    );
    expect(problemsOf(text)).toEqual([
      {
        path: 'defaults.timeoutMs',
        message: expect.stringMatching(/did you mean "5s"/),
        line: 2,
        column: 14,
      },
      { path: 'sites[1].url', message: expect.stringMatching(/"ftp:"/), line: 5, column: 10 },
      { path: 'sites[1].methd', message: 'unknown key "methd"; did you mean "method"?', line: 6, column: 12 },
      { path: 'sites[2].smtp', message: expect.stringMatching(/belongs in a channel/), line: 8, column: 11 },
      { path: 'sites[3]', message: expect.stringMatching(/duplicate of sites\[0\]/), line: 9, column: 5 },
    ]);
    expect(() => parseConfig(text, 'conf/sites.yaml', {})).toThrow(
      /^Invalid config conf\/sites.yaml \(5 problems\):\n {2}conf\/sites.yaml:2:14: defaults.timeoutMs: /,
    );
  });

  it('place a missing key at the object that lacks it', () => {
    expect(problemsOf(yaml('sites:', '  - name: no url here'))).toEqual([
      {
        path: 'sites[0].url',
        message: expect.stringMatching(/^missing: expected a URL/),
        line: 2,
        column: 5,
      },
    ]);
  });

  it('report every syntax error at once, one per place, with line and column', () => {
    const text = yaml('sites:', '  - url: a: b', '  - @x', '  - url: "https://b.example/\\q"');
    expect(problemsOf(text)).toEqual([
      {
        path: '(root)',
        message: 'invalid YAML: Nested mappings are not allowed in compact mappings',
        line: 2,
        column: 10,
      },
      {
        path: '(root)',
        message: 'invalid YAML: Plain value cannot start with reserved character @',
        line: 3,
        column: 5,
      },
      { path: '(root)', message: 'invalid YAML: Invalid escape sequence \\q', line: 4, column: 29 },
    ]);
  });

  it('refuse a duplicate key, which JSON.parse would silently resolve to the last', () => {
    const [problem] = problemsOf(
      yaml('sites:', '  - https://a.example/', 'sites:', '  - https://b.example/'),
    );
    expect(problem).toMatchObject({
      message: expect.stringMatching(/^invalid YAML: .*unique/i),
      line: 3,
      column: 1,
    });
  });

  it('refuse tags it does not know instead of reading them as something else', () => {
    const [problem] = problemsOf(yaml('sites:', '  - !secret https://a.example/'));
    expect(problem).toMatchObject({
      message: expect.stringMatching(/^unsupported YAML: .*!secret/),
      line: 2,
    });
  });

  it('say an empty file, or one of only comments, is empty', () => {
    for (const text of ['', '# nothing yet\n']) {
      expect(problemsOf(text)).toEqual([
        {
          path: '(root)',
          message:
            'the file is empty (or only comments): expected a list of sites, or an object with "sites"',
          line: 1,
          column: 1,
        },
      ]);
    }
  });

  it('refuse a second document', () => {
    const [problem] = problemsOf(yaml('- https://a.example/', '---', '- https://b.example/'));
    expect(problem).toMatchObject({ message: expect.stringMatching(/^invalid YAML: /), line: 2 });
  });

  it('share options through anchors and merge keys, and stop an alias bomb', () => {
    const merged = parseConfig(
      yaml(
        'sites:',
        '  - &a { url: https://a.example/, timeoutMs: 30s, retries: 2 }',
        '  - { <<: *a, url: https://b.example/, retries: 0 }',
      ),
      'sites.yaml',
      {},
    );
    expect(merged.sites.map((s) => [s.url, s.timeoutMs, s.retries])).toEqual([
      ['https://a.example/', 30_000, 2],
      ['https://b.example/', 30_000, 0],
    ]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const [problem] = problemsOf(yaml(...bomb, 'sites: *g'));
    expect(problem?.message).toMatch(/^invalid YAML: .*alias/i);
  });
});

describe('choosing the format', () => {
  it('reads .json files as JSON only, with the JSON messages', () => {
    const [problem] = problemsOf('sites:\n  - https://a.example/\n', 'sites.json');
    expect(problem?.message).toMatch(/^invalid JSON: /);
  });

  it('reads .YAML and .yml in any case as YAML', () => {
    for (const file of ['SITES.YAML', 'sites.yml']) {
      expect(parseConfig('- https://a.example/\n', file, {}).sites).toHaveLength(1);
    }
  });

  it('sniffs other names: JSON when it parses as JSON, else YAML', () => {
    expect(parseConfig('["https://a.example/"]', 'sites.conf', {}).sites).toHaveLength(1);
    expect(parseConfig('- https://a.example/\n', 'sites', {}).sites).toHaveLength(1);
    expect(parseConfig('{sites: [https://a.example/]}', 'sites.txt', {}).sites).toHaveLength(1);
    // Broken text that opens like JSON gets the JSON message, which is what its author needs.
    const [problem] = problemsOf('["https://a.example/" "https://b.example/"]', 'sites.conf');
    expect(problem?.message).toMatch(/^invalid JSON: /);
  });

  it('loads a .yaml file from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squirrel-yaml-'));
    try {
      const file = join(dir, 'sites.yaml');
      writeFileSync(file, '\uFEFFsites:\n  - https://a.example/\n');
      expect((await loadConfig(file, {})).sites.map((s) => s.url)).toEqual(['https://a.example/']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
