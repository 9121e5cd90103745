import type { SweepReport } from './sweep-report.js';

/** Exactly one JSON document, for machines. */
export function renderJson(report: SweepReport): string {
  return [...renderJsonPieces(report)].join('');
}

/** `value` as JSON.stringify(value, null, 2) writes it at `depth` levels of nesting. */
function nested(value: unknown, depth: number): string {
  // JSON text has no raw line breaks inside strings: every one is between two values.
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/**
 * The same document as `${JSON.stringify(report, null, 2)}\n`, byte for byte, in pieces of one result
 * each: written piece by piece, 10,000 results never stand in memory as one 6 MB string (and its copy in
 * the stream's buffer).
 */
export function* renderJsonPieces(report: SweepReport): Generator<string> {
  // As JSON.stringify: keys whose value is undefined are left out.
  const keys = Object.keys(report).filter((key) => report[key as keyof SweepReport] !== undefined);
  let separator = '{\n';
  for (const key of keys) {
    const value = report[key as keyof SweepReport];
    yield `${separator}  ${JSON.stringify(key)}: `;
    separator = ',\n';
    if (key !== 'results' || !Array.isArray(value) || value.length === 0) {
      yield nested(value, 1);
      continue;
    }
    let before = '[\n    ';
    for (const result of value) {
      yield `${before}${nested(result ?? null, 2)}`;
      before = ',\n    ';
    }
    yield '\n  ]';
  }
  yield keys.length === 0 ? '{}\n' : '\n}\n';
}
