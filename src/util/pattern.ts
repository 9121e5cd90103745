/**
 * The two small languages of `expect`: regular expressions, run by RE2JS (a port of RE2: linear time in
 * the length of the text, whatever the pattern, so a hostile body cannot make a check hang), and JMESPath
 * expressions (the JMESPath Community edition: `$.status`, `checks[?name=='db'].ok | [0]`). The config
 * checks them when it loads; the probe runs them. Both libraries are loaded on first use: a config
 * without assertions, and `--help`, never pay for them.
 */

import { createRequire } from 'node:module';
import type * as Jmespath from '@jmespath-community/jmespath';
import type * as Re2js from 're2js';

type JsonPath = ReturnType<typeof Jmespath.compile>;

const load = createRequire(import.meta.url);
let re2: typeof Re2js | null = null;
let jmespath: typeof Jmespath | null = null;

const re2js = (): typeof Re2js => {
  re2 ??= load('re2js') as typeof Re2js;
  return re2;
};
const jmes = (): typeof Jmespath => {
  jmespath ??= load('@jmespath-community/jmespath') as typeof Jmespath;
  return jmespath;
};

/** Compiled forms by source. Sources come from the config, so these stay as small as the config. */
const regexes = new Map<string, Re2js.RE2JS>();
const paths = new Map<string, JsonPath>();
const MAX_CACHED = 10_000;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/** @throws Error with the parser's message when the pattern is not valid RE2 syntax */
export function compileRegex(source: string): Re2js.RE2JS {
  return regexes.get(source) ?? remember(regexes, source, re2js().RE2JS.compile(source));
}

/** Whether `pattern` matches somewhere in `text`; linear in the length of the text. */
export function regexFinds(source: string, text: string): boolean {
  return compileRegex(source).test(text);
}

/** Why a pattern cannot be used, or null. */
export function regexProblem(source: string): string | null {
  try {
    compileRegex(source);
    return null;
  } catch (error) {
    const why = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `not a regular expression uptime-squirrel can run (${why}); RE2 syntax, which has no lookarounds or backreferences, so that matching takes linear time`;
  }
}

/** @throws Error with the parser's message when the expression is not valid JMESPath */
export function compileJsonPath(expression: string): JsonPath {
  return paths.get(expression) ?? remember(paths, expression, jmes().compile(expression));
}

/** The value of a JMESPath expression in a parsed JSON document; null when it names nothing. */
export function searchJson(document: unknown, expression: string): unknown {
  return jmes().TreeInterpreter.search(compileJsonPath(expression), document as Jmespath.JSONValue);
}

/** Why a JMESPath expression cannot be used, or null. */
export function jsonPathProblem(expression: string): string | null {
  try {
    compileJsonPath(expression);
    return null;
  } catch (error) {
    return `not a JMESPath expression (${(error as Error).message}); write paths such as "$.status", "data.items[0].id" or "checks[?name=='db'].ok | [0]"`;
  }
}
