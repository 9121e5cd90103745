/**
 * Reading YAML config text with the `yaml` package (YAML 1.2, the core schema: `yes` and `no` stay
 * strings, `010` is ten), keeping where each value was written so that every problem, syntax or
 * validation, can say file:line:column.
 */

import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { LineCounter, Node, YAMLError, Document as YamlDocument } from 'yaml';
import type { ConfigProblem } from '../core/errors.js';
import type { Locate, ReadText } from './read-result.js';

// Loaded on first use, synchronously like the rest of parsing: a JSON config (and --help) never pays
// the tens of milliseconds the YAML parser takes to load.
let loaded: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}

// Aliases expanded more than this make the file fail instead of the monitor's memory ("billion laughs").
const MAX_ALIAS_COUNT = 100;

function problemAt(error: YAMLError, lines: LineCounter, kind: string): ConfigProblem {
  const { line, col } = lines.linePos(error.pos[0]);
  // The package's messages end with a quote of the line; the position says it better.
  const reason = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
  return { path: '(root)', message: `${kind}: ${reason}`, line, column: col };
}

type Step = Node | null | undefined;

/** The node a path leads to, through maps, sequences and aliases; undefined where the path leaves the file. */
function child(node: Step, key: PropertyKey, doc: YamlDocument): Step {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    const pair = target.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
    if (pair === undefined) return undefined;
    // A key written without a value (`name:`) has no value node: point at the key instead.
    return (pair.value ?? pair.key) as Step;
  }
  if (isSeq(target) && typeof key === 'number') return target.items[key] as Step;
  return undefined;
}

function locator(doc: YamlDocument, lines: LineCounter): Locate {
  return (path) => {
    // The plain-list form was wrapped as { sites } before validation: its paths start with "sites".
    const steps = yaml().isSeq(doc.contents) && path[0] === 'sites' ? path.slice(1) : path;
    let node: Step = doc.contents;
    let found: ReturnType<Locate>;
    for (const key of [undefined, ...steps]) {
      if (key !== undefined) node = child(node, key, doc);
      const start = node?.range?.[0];
      // A missing key is reported where its object begins: the nearest place that exists.
      if (start === undefined) break;
      const { line, col } = lines.linePos(start);
      found = { line, column: col };
    }
    return found;
  };
}

/** YAML text as data with a locator for its paths, or every syntax problem in it at once. */
export function readYaml(text: string): ReadText {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const all = [
    ...doc.errors.map((e) => problemAt(e, lines, 'invalid YAML')),
    // Warnings are things such as an unknown tag (`!secret`): the value would silently be something else.
    ...doc.warnings.map((e) => problemAt(e, lines, 'unsupported YAML')),
  ];
  // One fault often raises two errors at one place ("nested mappings" and "implicit keys"): the first says it.
  const problems = all.filter(
    (p, i) => all.findIndex((q) => q.line === p.line && q.column === p.column) === i,
  );
  if (problems.length > 0) return { ok: false, problems, cause: doc.errors[0] ?? doc.warnings[0] };
  if (doc.contents === null) {
    const message =
      'the file is empty (or only comments): expected a list of sites, or an object with "sites"';
    return { ok: false, problems: [{ path: '(root)', message, line: 1, column: 1 }] };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locate: locator(doc, lines) };
  } catch (error) {
    // toJS throws only for alias trouble: too many expansions, or an alias to an anchor defined after it.
    const message = `invalid YAML: ${(error as Error).message}`;
    return { ok: false, problems: [{ path: '(root)', message }], cause: error };
  }
}
