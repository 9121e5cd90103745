import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** src/, for the tests that read the project's own code (direction, SQL ownership, error codes). */
export const SRC = resolve(import.meta.dirname, '../../src');

/** Every .ts file under `dir`, recursively, as absolute paths. */
export function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every .ts file under src/ with its path relative to src/ ("store/open.ts") and its text. */
export function readSources(): Array<{ name: string; text: string }> {
  return sourceFiles(SRC).map((path) => ({
    name: relative(SRC, path).replaceAll('\\', '/'),
    text: readFileSync(path, 'utf8'),
  }));
}
