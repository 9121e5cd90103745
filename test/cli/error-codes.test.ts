/**
 * Every error code is in the catalogue with its exit code, the CLI exits with that code, and the README's
 * exit-code table lists every exit code there is.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ERROR_CODES, exitCodeFor } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { useCleanup } from '../helpers/cleanup.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/processes.js';
import { readSources } from '../helpers/source-files.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every 'US_ERR_...' string literal under src/, with the files it appears in. */
function codesInSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readSources()) {
    for (const match of file.text.matchAll(/['"`](US_ERR_[A-Z0-9_]+)['"`]/g)) {
      const code = match[1] as string;
      found.set(code, [...(found.get(code) ?? []), `src/${file.name}`]);
    }
  }
  return found;
}

function run(argv: string[]) {
  let stderr = '';
  const io = {
    stdout: { write: () => {} },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
    env: {},
  };
  return main(argv, io).then((code) => ({ code, stderr }));
}

const { defer, config } = useCleanup();

describe('the error catalogue', () => {
  it('holds every code thrown in src/', () => {
    const found = codesInSource();
    expect(found.size).toBeGreaterThan(20);
    const missing = [...found.keys()].filter((code) => !Object.hasOwn(ERROR_CODES, code));
    expect(missing, `codes not in ERROR_CODES: ${missing.map((c) => `${c} (${found.get(c)})`)}`).toEqual([]);
  });

  it('holds no code that nothing throws', () => {
    // The catalogue's keys are not string literals: a code found as one is thrown somewhere.
    const found = codesInSource();
    expect(Object.keys(ERROR_CODES).filter((code) => !found.has(code))).toEqual([]);
  });

  it('gives each code an exit code of the table and a line on what it means', () => {
    const exits = new Set<number>(Object.values(EXIT));
    for (const [code, [exit, description]] of Object.entries(ERROR_CODES)) {
      expect(exits.has(exit), code).toBe(true);
      expect(description.length, code).toBeGreaterThan(10);
    }
    expect(exitCodeFor('US_ERR_DB_LOCKED')).toBe(EXIT.store);
    expect(exitCodeFor('US_ERR_REDIS_AUTH')).toBe(EXIT.redis);
    expect(exitCodeFor('SOMETHING_ELSE')).toBe(EXIT.internal);
  });

  it('keeps the faults apart: usage, Redis, store and internal each have their own exit code', () => {
    const codes = [EXIT.usage, EXIT.redis, EXIT.store, EXIT.internal, EXIT.interrupted];
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is what the README exit-code table lists, code for code', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Exit codes'),
      readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1),
    );
    const listed = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
    expect(section).not.toMatch(/should say/);
  });
});

describe('the CLI exits with the code of the error', () => {
  it('a store fault: 4 (report on a database that is not there)', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const { code, stderr } = await run(['report', '--db', join(dir.path, 'none.db')]);
    expect(code).toBe(4);
    expect(stderr).toMatch(/^error: No database at /);
  });

  it('a Redis fault: 3 (queue mode with nothing listening)', async () => {
    const file = await config(['http://127.0.0.1:9/']);
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await run(['check', file, '--mode', 'queue', '--redis', url]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error: cannot reach Redis at /);
  });

  it('a config fault: 2', async () => {
    const file = await config({ sites: [{ url: 'ftp://example.com' }] });
    expect((await run(['validate', file])).code).toBe(2);
  });
});
