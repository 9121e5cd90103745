/**
 * From a config file's text to data: JSON or YAML, chosen by the file's extension (`.json`; `.yaml`,
 * `.yml`), else by the text itself. Both give the same data to the same validation.
 */

import { readJson } from './json-syntax.js';
import type { ReadText } from './read-result.js';
import { readYaml } from './yaml-syntax.js';

export type Format = 'json' | 'yaml';

export function formatOf(file: string): Format | undefined {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  return undefined;
}

/** Parses config text in the format its file name says; without one, JSON if it parses as JSON, else YAML. */
export function readConfigText(rawText: string, file: string): ReadText {
  // Editors on Windows save a BOM, which JSON.parse refuses as an unexpected token.
  const text = rawText.replace(/^\uFEFF/, '');
  const format = formatOf(file);
  if (format === 'json') return readJson(text);
  if (format === 'yaml') return readYaml(text);
  const json = readJson(text);
  if (json.ok) return json;
  const yaml = readYaml(text);
  // Text that opens like JSON but is neither is broken JSON far more often than broken YAML.
  return yaml.ok || !/^\s*[[{]/.test(text) ? yaml : json;
}
