/**
 * A channel's message templates (`"template": {"title": ..., "body": ...}`) in Mustache, checked when the
 * config loads: a template that does not parse, uses a partial, or names a variable that does not exist
 * is a config error with its path, found at start and not at 3 a.m. when the first outage is rendered.
 *
 * The variables are declared once here (VARIABLES): the check reads them, notify/template.ts fills them,
 * and the README documents the same list.
 */

import Mustache from 'mustache';
import { didYouMean } from '../util/suggest.js';

/** A template variable: a value, an object of variables, or a list of such objects (a section loops over it). */
export type Variable =
  | 'value'
  | { readonly [name: string]: Variable }
  | readonly [{ readonly [name: string]: Variable }];

/** One site (or the monitor) in a message: the items of `sites`, `down`, `recovered`, `stillDown`, and `site`. */
export const SITE_VARIABLES = {
  name: 'value',
  label: 'value',
  url: 'value',
  checkLink: 'value',
  key: 'value',
  state: 'value',
  cause: 'value',
  since: 'value',
  sinceIso: 'value',
  until: 'value',
  untilIso: 'value',
  duration: 'value',
  durationMs: 'value',
  detail: 'value',
} as const satisfies Record<string, Variable>;

const COUNTS = {
  down: 'value',
  recovered: 'value',
  stillDown: 'value',
  monitorOffline: 'value',
  monitorOnline: 'value',
} as const;

/** Everything a template can name, at the top of the message. */
export const VARIABLES = {
  title: 'value',
  text: 'value',
  kind: 'value',
  note: 'value',
  intro: 'value',
  host: 'value',
  channel: 'value',
  at: 'value',
  heldSince: 'value',
  counts: COUNTS,
  sites: [SITE_VARIABLES],
  down: [SITE_VARIABLES],
  recovered: [SITE_VARIABLES],
  stillDown: [SITE_VARIABLES],
  site: SITE_VARIABLES,
  monitor: SITE_VARIABLES,
} as const satisfies Record<string, Variable>;

type Scope = { readonly [name: string]: Variable };

/** What a dotted name resolves to in the scopes (innermost first), as Mustache looks names up. */
function resolve(name: string, scopes: readonly Scope[]): Variable | undefined {
  if (name === '.') return 'value';
  const [head = '', ...rest] = name.split('.');
  for (const scope of scopes) {
    let found: Variable | undefined = Object.hasOwn(scope, head) ? scope[head] : undefined;
    if (found === undefined) continue;
    for (const part of rest) {
      if (found === 'value' || Array.isArray(found)) return undefined;
      const object: Scope = found as Scope;
      found = Object.hasOwn(object, part) ? object[part] : undefined;
      if (found === undefined) return undefined;
    }
    return found;
  }
  return undefined;
}

/** Every name the scopes offer, dotted, for "did you mean". */
function namesIn(scopes: readonly Scope[]): string[] {
  const names: string[] = [];
  const walk = (scope: Scope, prefix: string) => {
    for (const [name, variable] of Object.entries(scope)) {
      names.push(`${prefix}${name}`);
      if (variable !== 'value' && !Array.isArray(variable)) walk(variable as Scope, `${prefix}${name}.`);
    }
  };
  for (const scope of scopes) walk(scope, '');
  return names;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

type Token = [string, string, number, number, Token[]?];

/**
 * The problems of one template, each a sentence; empty when it is fine. Names are looked up the way
 * Mustache does: in the sections' items first (inside `{{#sites}}`, `{{name}}` is the site's name), then
 * outwards.
 */
export function templateProblems(template: string): string[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template) as unknown as Token[];
  } catch (error) {
    const message = (error as Error).message;
    const at = /at (\d+)$/.exec(message);
    return [
      `does not parse: ${at === null ? message : `${message.replace(/ at \d+$/, '')} at ${lineColumn(template, Number(at[1]))}`}`,
    ];
  }
  const problems: string[] = [];
  const visit = (list: readonly Token[], scopes: readonly Scope[]) => {
    for (const [type, name, start, , children] of list) {
      if (type === 'text' || type === '!' || type === '=') continue;
      if (type === '>') {
        problems.push(`partials ({{> ${name}}}) are not supported, at ${lineColumn(template, start)}`);
        continue;
      }
      const found = resolve(name, scopes);
      if (found === undefined) {
        const guess = didYouMean(name, namesIn(scopes));
        problems.push(
          `unknown variable "${name}" at ${lineColumn(template, start)}; ` +
            (guess === undefined
              ? `the variables are ${Object.keys(scopes.at(-1) ?? {}).join(', ')} (see the README)`
              : `did you mean "${guess}"?`),
        );
        continue;
      }
      if (type === '#' || type === '^') {
        // A section over a list or an object opens its scope; over a value it is only a condition.
        const inner =
          type === '^' || found === 'value'
            ? scopes
            : [Array.isArray(found) ? (found[0] as Scope) : (found as Scope), ...scopes];
        visit(children ?? [], inner);
      }
    }
  };
  visit(tokens, [VARIABLES]);
  return problems;
}
