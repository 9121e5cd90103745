import { Chalk } from 'chalk';
import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { renderJson, renderJsonPieces } from '../../src/report/json.js';
import { noAnswerNote } from '../../src/report/no-answer.js';
import { createProgress } from '../../src/report/progress.js';
import { buildReport, type SweepReport } from '../../src/report/sweep-report.js';
import { renderTable, wrapWords } from '../../src/report/table.js';
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

  it('renderJsonPieces gives JSON.stringify(report, null, 2) byte for byte, one result a piece', () => {
    const many = report([result('a'), down('b'), result('c')]);
    const pieces = [...renderJsonPieces(many)];
    expect(pieces.join('')).toBe(`${JSON.stringify(many, null, 2)}\n`);
    expect(pieces.filter((piece) => piece.includes('"url"'))).toHaveLength(3);
    const none = report([]);
    expect(renderJson(none)).toBe(`${JSON.stringify(none, null, 2)}\n`);
    const withUndefined = { ...many, locations: undefined };
    expect(renderJson(withUndefined)).toBe(`${JSON.stringify(withUndefined, null, 2)}\n`);
  });
});

describe('renderTable', () => {
  const sweep = report([
    result('alpha'),
    down('bravo'),
    result('charlie', { method: 'GET', redirects: 2 }),
    down('delta', { kind: 'timeout', status: null, error: 'no answer within 10 s' }),
  ]);

  it('has a header row, lists down sites first, each group in config order, then one summary line', () => {
    const lines = renderTable(sweep, { chalk: plain, quiet: false }).trimEnd().split('\n');

    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.split(/\s+/, 2).join(' '))).toEqual([
      'STATE SITE',
      'DOWN bravo',
      'DOWN delta',
      'UP alpha',
      'UP charlie',
      expect.stringContaining('4 sites'),
    ]);
    expect(lines[0]).toMatch(/^STATE +SITE +TIME +DETAIL$/);
    expect(lines[1]).toContain('HTTP 503, expected 200-399 (2 attempts)');
    expect(lines[1]).not.toContain('503: HTTP 503');
    expect(lines[2]).toContain('timeout: no answer within 10 s');
    expect(lines[4]).toContain('200 GET after 2 redirects');
    expect(lines[5]).toBe('4 sites: 2 up, 2 down in 1.5 s (mode async)');
  });

  it('says 1 site, 1 redirect and 1 attempt in the singular', () => {
    const one = report([result('solo', { redirects: 1 })]);
    const lines = renderTable(one, { chalk: plain, quiet: false }).trimEnd().split('\n');
    expect(lines[1]).toMatch(/200 after 1 redirect$/);
    expect(lines[2]).toBe('1 site: 1 up, 0 down in 1.5 s (mode async)');
  });

  it('shows the URL where a site has no name', () => {
    const text = renderTable(report([down('x', { name: null })]), { chalk: plain, quiet: false });
    expect(text).toContain('https://x.example/');
  });

  it('quiet mode shows only the down sites and the summary', () => {
    const lines = renderTable(sweep, { chalk: plain, quiet: true }).trimEnd().split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^DOWN\s+bravo/);
    expect(lines[2]).toMatch(/^DOWN\s+delta/);
    expect(lines[3]).toContain('2 up, 2 down');
  });

  it('quiet mode with everything up prints only the summary', () => {
    const text = renderTable(report([result('a'), result('b')]), { chalk: plain, quiet: true });
    expect(text).toBe('2 sites: 2 up, 0 down in 1.5 s (mode async)\n');
  });

  it('has no ANSI escape codes at chalk level 0, and has them at level 1', () => {
    expect(renderTable(sweep, { chalk: plain, quiet: false })).not.toMatch(ANSI);
    expect(renderTable(sweep, { chalk: coloured, quiet: false })).toMatch(ANSI);
  });

  it('wraps a long reason at word boundaries within 80 columns, never cutting a word', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const long = down('e', { kind: 'reset', status: null, error: words.join(' ') });
    for (const columns of [undefined, 80, 60]) {
      const lines = renderTable(report([long]), { chalk: plain, quiet: false, columns })
        .trimEnd()
        .split('\n');
      const rows = lines.slice(1, -1);
      expect(rows.length).toBeGreaterThan(2);
      for (const line of rows) expect(line.length).toBeLessThanOrEqual(columns ?? 80);
      // Every word comes out whole, in order, and nothing is clipped.
      const detailStart = (lines[0] ?? '').indexOf('DETAIL');
      const text = rows.map((l) => l.slice(detailStart).trim()).join(' ');
      expect(text).toBe(`reset: ${words.join(' ')} (2 attempts)`);
      expect(lines.join('\n')).not.toContain('…');
    }
  });

  it('gives a word longer than the column a line of its own instead of cutting it', () => {
    expect(wrapWords(`see ${'x'.repeat(50)} now`, 20)).toEqual(['see', 'x'.repeat(50), 'now']);
  });
});

describe('the note when no site answered', () => {
  const dns = (name: string) =>
    down(name, { kind: 'dns', status: null, error: `host name ${name}.example not found` });

  it('says the machine may be offline when every site failed without a response', () => {
    const text = renderTable(report([dns('a'), dns('b'), dns('c')]), { chalk: plain, quiet: false });
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'no site answered: 3 of 3 failed with dns; is this machine offline or is its DNS broken?',
    );
    const mixed = [dns('a'), down('b', { kind: 'refused', status: null, error: 'connection refused' })];
    expect(noAnswerNote(report(mixed).results)).toBe(
      'no site answered: 2 of 2 failed (1 dns, 1 refused); is this machine offline?',
    );
  });

  it('says nothing when any site answered with an HTTP status, even a 503', () => {
    expect(noAnswerNote([dns('a'), dns('b'), down('c')])).toBeNull();
    expect(noAnswerNote([dns('a'), result('b')])).toBeNull();
  });

  it('counts a timeout after the connection was made as an answer from the network', () => {
    const connected = down('t', {
      kind: 'timeout',
      status: null,
      error: 'no answer within 10 s: waited for the response headers',
      timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: null, totalMs: 10_000 },
    });
    const unconnected = down('u', {
      kind: 'timeout',
      status: null,
      error: 'no answer within 10 s: waited to connect',
      timings: { dnsMs: 0, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 10_000 },
    });
    expect(noAnswerNote([dns('a'), connected])).toBeNull();
    expect(noAnswerNote([dns('a'), unconnected])).toContain('2 of 2 failed (1 dns, 1 timeout)');
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

  it('draws the first result even within 100 ms of the process start (a short sweep after a fast start-up)', () => {
    vi.useFakeTimers({ toFake: ['performance'], now: 0 });
    try {
      const written: string[] = [];
      const progress = createProgress({ write: (t: string) => written.push(t), isTTY: true }, 12, true);
      progress.tick(true);
      expect(written).toEqual(['\r\x1b[Kchecked 1/12']);
    } finally {
      vi.useRealTimers();
    }
  });
});
