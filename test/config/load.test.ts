import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError, type ConfigProblem, SquirrelError } from '../../src/core/errors.js';

const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url);

function syntaxProblem(name: string): ConfigProblem {
  try {
    parseConfig(readFileSync(fixture(name), 'utf8'), name, {});
  } catch (error) {
    if (error instanceof ConfigError && error.problems.length === 1 && error.problems[0])
      return error.problems[0];
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squirrel-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and resolves a file', async () => {
    const path = join(dir, 'sites.json');
    writeFileSync(path, '["https://example.com"]');
    const loaded = await loadConfig(path, {});
    expect(loaded.file).toBe(path);
    expect(loaded.sites.map((s) => s.url)).toEqual(['https://example.com']);
  });

  it('says a missing file is missing, with the path as given and what to do', async () => {
    const error = await loadConfig('does-not-exist/sites.json', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquirrelError);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as SquirrelError).code).toBe('US_ERR_CONFIG_READ');
    expect((error as SquirrelError).message).toBe(
      'Cannot read config file does-not-exist/sites.json: no such file (ENOENT). Create it or pass the path of your site list.',
    );
  });

  it('says when the path is a directory', async () => {
    const error = await loadConfig(dir, {}).catch((e: unknown) => e);
    expect((error as SquirrelError).code).toBe('US_ERR_CONFIG_READ');
    expect((error as SquirrelError).message).toContain('it is a directory (EISDIR)');
  });

  it('throws ConfigError with the file as given for an invalid file', async () => {
    const error = await loadConfig(join('test', 'fixtures', 'config', 'empty-list.json'), {}).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(join('test', 'fixtures', 'config', 'empty-list.json'));
    expect((error as ConfigError).code).toBe('US_ERR_CONFIG');
  });
});

describe('parseConfig: JSON syntax', () => {
  it('reports line and column of a trailing comma, with a hint', () => {
    expect(syntaxProblem('invalid-json-trailing-comma.json')).toEqual({
      path: '(root)',
      message: "invalid JSON: Unexpected token ']' (JSON allows no trailing comma)",
      line: 4,
      column: 3,
    });
  });

  it('reports line and column of a missing comma', () => {
    expect(syntaxProblem('invalid-json-missing-comma.json')).toEqual({
      path: '(root)',
      message: "invalid JSON: Expected ',' or ']' after array element",
      line: 4,
      column: 5,
    });
  });

  it('finds the position of an unexpected token even when JSON.parse does not give it', () => {
    // `"retries": tru}`: the brace is the 48th character of line 2.
    expect(syntaxProblem('invalid-json-token.json')).toEqual({
      path: '(root)',
      message: "invalid JSON: Unexpected token '}'",
      line: 2,
      column: 48,
    });
  });

  it('points at the end of a truncated file', () => {
    expect(syntaxProblem('invalid-json-truncated.json')).toMatchObject({
      message: expect.stringMatching(/^invalid JSON at the end of the file/),
      line: 3,
      column: 1,
    });
  });

  it('says an empty file is empty', () => {
    expect(syntaxProblem('empty-file.json').message).toBe('the file is empty: expected a JSON list of sites');
  });

  it('counts columns on the line, not from the start of the file', () => {
    const problem = syntaxProblem('invalid-json-missing-comma.json');
    const text = readFileSync(fixture('invalid-json-missing-comma.json'), 'utf8');
    const line = text.split('\n')[(problem.line ?? 0) - 1] ?? '';
    expect(line.slice((problem.column ?? 0) - 1)).toBe('"https://example.org"');
  });

  it('accepts a UTF-8 byte order mark', () => {
    const text = readFileSync(fixture('valid-bom.json'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parseConfig(text, 'valid-bom.json', {}).sites.map((s) => s.url)).toEqual(['https://example.com']);
  });

  it('puts file:line:column in the error message', () => {
    const text = readFileSync(fixture('invalid-json-missing-comma.json'), 'utf8');
    expect(() => parseConfig(text, 'my-sites.json', {})).toThrow('my-sites.json:4:5: (root): invalid JSON');
  });
});
