/**
 * Data flows one way (README, "Layout"): every import under src/ points to an earlier stage of the flow, to
 * its own stage, or to core/util; and no group of files imports itself round in a cycle. Type-only imports
 * count: a type that lives in a later stage is vocabulary in the wrong place.
 */

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SRC, sourceFiles } from '../helpers/source-files.js';

/** The stages in flow order; a file's stage is its first folder under src/ (or its name, at the top). */
const STAGES = [
  'core',
  'util',
  'channels',
  'config',
  'probe',
  'strategies',
  'store',
  'notify',
  'watch',
  'report',
  'serve',
  'bench',
  'commands',
  'cli',
] as const;

/** Imports allowed against the flow, each with its reason. Keep this list short. */
const EXCEPTIONS: Record<string, string> = {};

const rel = (path: string) => relative(SRC, path).replaceAll('\\', '/');

function stageOf(file: string): number {
  const first = rel(file).split('/')[0]?.replace(/\.ts$/, '') ?? '';
  const stage = (STAGES as readonly string[]).indexOf(
    first === 'cli' || first === 'cli-options' ? 'cli' : first,
  );
  if (stage === -1) throw new Error(`${rel(file)} is in no stage: put it in one of ${STAGES.join(', ')}`);
  return stage;
}

/** Every project file a file imports: static, type-only, re-exports and dynamic `import()`. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

const files = sourceFiles(SRC).sort();
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const file of files) if (!idx.has(file)) visit(file);
  return found;
}

describe('the direction of the imports under src/', () => {
  it('finds the source files and their imports (the check itself can see something)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(join(SRC, 'cli.ts'))?.length).toBeGreaterThan(0);
  });

  it('every import points to an earlier stage, the same stage, or core/util', () => {
    const against: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (!graph.has(target)) against.push(`${rel(file)} imports ${rel(target)}, which does not exist`);
        else if (
          stageOf(target) > stageOf(file) &&
          EXCEPTIONS[`${rel(file)} -> ${rel(target)}`] === undefined
        ) {
          against.push(
            `${rel(file)} (${STAGES[stageOf(file)]}) imports ${rel(target)} (${STAGES[stageOf(target)]}), a later stage`,
          );
        }
      }
    }
    expect(against).toEqual([]);
  });

  it('core imports nothing of the project but core', () => {
    const core = [...graph].flatMap(([file, imports]) =>
      rel(file).startsWith('core/')
        ? imports.filter((t) => !rel(t).startsWith('core/')).map((t) => `${rel(file)} imports ${rel(t)}`)
        : [],
    );
    expect(core).toEqual([]);
  });

  it('no files import each other round in a cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('the cycle finder finds a cycle when there is one', () => {
    const a = join(SRC, '__a.ts');
    const b = join(SRC, '__b.ts');
    graph.set(a, [b]);
    graph.set(b, [a]);
    files.push(a, b);
    try {
      expect(cycles()).toContainEqual(['__a.ts', '__b.ts']);
    } finally {
      graph.delete(a);
      graph.delete(b);
      files.splice(files.indexOf(a), 2);
    }
  });
});
