/** How config messages show values and what was expected: shared by schema.ts and each notifier's schema. */

const MAX_SHOWN = 60;

/** A value as a message shows it: its JSON type and, for scalars, the value itself. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return `string ${JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** An error map for a type or range check: "expected <allowed>, found <value>". */
export function expected(allowed: string, hint?: (input: unknown) => string) {
  return (issue: { readonly input: unknown }): string =>
    issue.input === undefined
      ? `missing: expected ${allowed}`
      : `expected ${allowed}, found ${describeValue(issue.input)}${hint?.(issue.input) ?? ''}`;
}
