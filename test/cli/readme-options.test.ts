/**
 * The README's option tables are the manual; commander's definitions are what runs. This test keeps them
 * one: each table marked `<!-- options: COMMAND -->` is read, and for every command its rows must name
 * exactly the command's options, each with the default the command really has.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

interface Row {
  /** Every flag the first cell names, short and long: ['-c', '--concurrency']. */
  flags: string[];
  /** The default column, without backticks; '' when empty. */
  default: string;
}

/** The rows of every table marked for `command`, in README order. */
function tablesOf(readme: string): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  const lines = readme.split('\n');
  for (const [i, line] of lines.entries()) {
    const marker = /^<!-- options: ([a-z-]+)\b/.exec(line);
    if (marker === null) continue;
    const command = marker[1] as string;
    let at = i + 1;
    while (lines[at]?.trim() === '') at++;
    const header = cells(lines[at] ?? '');
    expect(header, `the table after the marker for ${command} (line ${at + 1})`).toEqual([
      'option',
      'meaning',
      'default',
    ]);
    const rows = tables.get(command) ?? [];
    for (at += 2; lines[at]?.startsWith('|'); at++) {
      const [first = '', , def = ''] = cells(lines[at] as string);
      const flags = [...first.matchAll(/`([^`]+)`/g)].flatMap((m) =>
        (m[1] as string).split(/[\s,]+/).filter((token) => token.startsWith('-')),
      );
      rows.push({ flags, default: def.replaceAll('`', '').trim() });
    }
    tables.set(command, rows);
  }
  return tables;
}

/** A table row's cells; `\|` inside a cell is a literal bar. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** The default as `--help` states it: commander's own, or the one the help text gives in words. */
function defaultOf(option: Option): string {
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription;
  if (option.defaultValue !== undefined) {
    const value = option.defaultValue as unknown;
    return Array.isArray(value) ? value.join(',') : String(value);
  }
  return /\bdefault:? ([^);]+)/.exec(option.description)?.[1]?.trim() ?? '';
}

const io = { stdout: { write: () => {} }, stderr: { write: () => {} }, env: {} };
const program = buildProgram(io);
const tables = tablesOf(README);

describe('the README option tables match the commands', () => {
  it('has a table for every command with options, and none for a command that does not exist', () => {
    const withOptions = program.commands.filter((c) => c.options.length > 0).map((c) => c.name());
    expect([...tables.keys()].sort()).toEqual([...withOptions].sort());
  });

  for (const command of program.commands.filter((c) => c.options.length > 0)) {
    it(`${command.name()}: the same options, with the same defaults`, () => {
      const rows = tables.get(command.name()) ?? [];
      const documented = rows.map((r) => r.flags.join(' '));
      const declared = command.options.map((o) => [o.short, o.long].filter(Boolean).join(' '));
      expect(documented.sort()).toEqual([...declared].sort());

      for (const option of command.options) {
        const row = rows.find((r) => r.flags.includes(option.long as string));
        expect(row?.default, `default of ${command.name()} ${option.long}`).toBe(defaultOf(option));
      }
    });
  }

  it('reads the tables it checks (a row with a wrong default fails)', () => {
    const edited = README.replace(
      '| `--repeat <n>` | runs per mode (1-100) | 3 |',
      '| `--repeat <n>` | runs | 5 |',
    );
    expect(edited).not.toBe(README);
    const repeat = tablesOf(edited)
      .get('bench')
      ?.find((r) => r.flags.includes('--repeat'));
    expect(repeat?.default).toBe('5');
    const declared = program.commands
      .find((c) => c.name() === 'bench')
      ?.options.find((o) => o.long === '--repeat');
    expect(defaultOf(declared as Option)).toBe('3');
  });
});
