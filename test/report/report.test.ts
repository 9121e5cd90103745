import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { renderJson } from '../../src/report/json.js';
import { createProgress } from '../../src/report/progress.js';
import { buildReport, type SweepReport } from '../../src/report/sweep-report.js';
import { renderTable } from '../../src/report/table.js';
import { fakeResult } from '../helpers/results.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point.
const ANSI = /\x1b\[/;

function result(name: string, overrides: Partial<Result> = {}): Result {
  return fakeResult(`https://${name}.example/`, true, {
    name,
    timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 4, totalMs: 12 },
    ...overrides,
  });
}

const down = (name: string, overrides: Partial<Result> = {}) =>
  result(name, {
    ok: false,
    status: 503,
    kind: 'http-status',
    error: 'HTTP 503, expected 200-399',
    attempts: 2,
    ...overrides,
  });

function report(results: Result[]): SweepReport {
  return buildReport(
    '9.9.9',
    'async',
    new Date('2026-01-02T03:04:05.000Z'),
    new Date('2026-01-02T03:04:06.500Z'),
    results,
  );
}

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

describe('buildReport', () => {
  it('counts up and down sites and keeps the results in order', () => {
    const results = [result('a'), down('b'), result('c'), down('d', { kind: 'refused', status: null })];
    const built = report(results);

    expect(built).toEqual({
      version: '9.9.9',
      mode: 'async',
      startedAt: '2026-01-02T03:04:05.000Z',
      finishedAt: '2026-01-02T03:04:06.500Z',
      summary: { total: 4, up: 2, down: 2 },
      results,
    });
  });

  it('counts an empty sweep as zero of everything', () => {
    expect(report([]).summary).toEqual({ total: 0, up: 0, down: 0 });
  });

  it('renderJson gives exactly one JSON document that parses back to the report', () => {
    const built = report([result('a'), down('b')]);
    const text = renderJson(built);
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(built);
  });
});

describe('renderTable', () => {
  const sweep = report([
    result('alpha'),
    down('bravo'),
    result('charlie', { method: 'GET', redirects: 2 }),
    down('delta', { kind: 'timeout', status: null, error: 'no answer within 10 s' }),
  ]);

  it('lists down sites first, each group in config order, then one summary line', () => {
    const lines = renderTable(sweep, { chalk: plain, quiet: false }).trimEnd().split('\n');

    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.split(/\s+/, 2).join(' '))).toEqual([
      'DOWN bravo',
      'DOWN delta',
      'UP alpha',
      'UP charlie',
      expect.stringContaining('4 sites'),
    ]);
    expect(lines[0]).toContain('503: HTTP 503, expected 200-399');
    expect(lines[0]).toContain('(2 attempts)');
    expect(lines[1]).toContain('timeout: no answer within 10 s');
    expect(lines[3]).toContain('200 GET after 2 redirect(s)');
    expect(lines[4]).toBe('4 sites: 2 up, 2 down in 1.5 s (mode async)');
  });

  it('shows the URL where a site has no name', () => {
    const text = renderTable(report([down('x', { name: null })]), { chalk: plain, quiet: false });
    expect(text).toContain('https://x.example/');
  });

  it('quiet mode shows only the down sites and the summary', () => {
    const lines = renderTable(sweep, { chalk: plain, quiet: true }).trimEnd().split('\n');

    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^DOWN\s+bravo/);
    expect(lines[1]).toMatch(/^DOWN\s+delta/);
    expect(lines[2]).toContain('2 up, 2 down');
  });

  it('quiet mode with everything up prints only the summary', () => {
    const text = renderTable(report([result('a'), result('b')]), { chalk: plain, quiet: true });
    expect(text).toBe('2 sites: 2 up, 0 down in 1.5 s (mode async)\n');
  });

  it('has no ANSI escape codes at chalk level 0, and has them at level 1', () => {
    expect(renderTable(sweep, { chalk: plain, quiet: false })).not.toMatch(ANSI);
    expect(renderTable(sweep, { chalk: coloured, quiet: false })).toMatch(ANSI);
  });

  it('keeps each row within the terminal width it is given', () => {
    const long = down('e', { error: `x${'y'.repeat(300)}` });
    const lines = renderTable(report([long]), { chalk: plain, quiet: false, columns: 80 }).split('\n');
    expect(lines[0]?.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('…');
  });
});

describe('createProgress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const progress = createProgress({ write: (t: string) => written.push(t), isTTY: false }, 3, true);
    progress.tick(true);
    progress.tick(false);
    progress.done();
    expect(written).toEqual([]);
  });

  it('on a terminal draws a counter and clears it when done', () => {
    const written: string[] = [];
    const progress = createProgress({ write: (t: string) => written.push(t), isTTY: true }, 3, true);
    progress.tick(false);
    progress.done();
    expect(written[0]).toContain('checked 1/3, 1 down');
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
