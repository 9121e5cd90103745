/** How config messages name a place in the file. */

/** A JSON path as people read it: `sites[3].timeoutMs`, `defaults.headers["X-Api-Key"]`, `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out === '' ? String(key) : `.${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

// One step of a formatted path: `.name` (or a leading name), `[3]`, or `["a name"]`.
const STEP = /^(?:\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** The steps of a path formatPath wrote (`sites[3].headers["X-Key"]` -> sites, 3, headers, X-Key); null if not one. */
export function parsePath(text: string): PropertyKey[] | null {
  if (text === '(root)') return [];
  const steps: PropertyKey[] = [];
  let rest = text;
  while (rest !== '') {
    const match = STEP.exec(rest);
    if (match === null) return null;
    const [whole, name, index, quoted] = match;
    steps.push(name ?? (index !== undefined ? Number(index) : (JSON.parse(quoted ?? '""') as string)));
    rest = rest.slice(whole.length);
  }
  return steps;
}
