import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { createProgress } from '../../src/report/progress.js';
import { buildReport } from '../../src/report/sweep-report.js';
import { renderTable } from '../../src/report/table.js';
import {
  BadBatchError,
  decodeBatch,
  decodeResult,
  PROTOCOL_VERSION,
} from '../../src/strategies/queue/protocol.js';
import { uncheckedResult } from '../../src/strategies/unchecked.js';
import { createRedactor } from '../../src/util/redact.js';
import { fakeResult } from '../helpers/results.js';

const site = (url: string, name: string | null = null): Site => ({ ...DEFAULT_OPTIONS, url, name });
const plain = new Chalk({ level: 0 });

function checked(name: string, ok: boolean): Result {
  return fakeResult(`https://${name}.example/`, ok, { name });
}

const at = new Date('2026-01-02T03:04:05.000Z');
const unchecked = (name: string) =>
  uncheckedResult(site(`https://${name}.example/`, name), 'no result within the deadline (5m)', (t) => t, at);

describe('unchecked sites in reports', () => {
  it('are counted apart in queue mode, never as up', () => {
    const results = [checked('a', true), checked('b', false), unchecked('c')];
    const report = buildReport('1.0.0', 'queue', at, at, results, { countUnchecked: true });
    expect(report.summary).toEqual({ total: 3, up: 1, down: 1, unchecked: 1 });
    expect(report.results[2]).toMatchObject({ ok: null, kind: 'unchecked', status: null, attempts: 0 });
    // The other modes keep exactly { total, up, down }.
    expect(buildReport('1.0.0', 'async', at, at, results.slice(0, 2)).summary).toEqual({
      total: 2,
      up: 1,
      down: 1,
    });
  });

  it('get their own rows between the down and the up ones, and a count in the summary line', () => {
    const report = buildReport(
      '1.0.0',
      'queue',
      at,
      at,
      [checked('a', true), unchecked('c'), checked('b', false)],
      {
        countUnchecked: true,
      },
    );
    const lines = renderTable(report, { chalk: plain, quiet: false }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE {6}SITE {2}/);
    expect(lines[1]).toMatch(/^DOWN {7}b {2}/);
    expect(lines[2]).toMatch(/^UNCHECKED {2}c {2}\s+- {2}no result within the deadline \(5m\)$/);
    expect(lines[3]).toMatch(/^UP {9}a {2}/);
    expect(lines[4]).toMatch(/^3 sites: 1 up, 1 down, 1 unchecked in 0 ms \(mode queue\)$/);
    // --quiet still shows them: they need a person's attention as much as the down ones.
    expect(renderTable(report, { chalk: plain, quiet: true })).toContain('UNCHECKED  c');
  });

  it('keep the verdict column narrow when there are none', () => {
    const report = buildReport('1.0.0', 'async', at, at, [checked('a', true)]);
    expect(renderTable(report, { chalk: plain, quiet: false })).toMatch(
      /^STATE {2}SITE {2}.*\nUP {5}a {8}12 ms/,
    );
  });

  it('do not count as down in the progress line', () => {
    const out: string[] = [];
    const progress = createProgress({ write: (t: string) => out.push(t), isTTY: true }, 2, true);
    progress.tick(null);
    progress.tick(false);
    expect(out.join('')).toContain('checked 1/2');
    expect(out.join('')).not.toContain('2 down');
  });

  it('carry the redacted URL', () => {
    const redact = createRedactor(['tok3n']);
    const r = uncheckedResult(site('https://user:pw@x.example/?v=tok3n&api_key=k'), 'why', redact, at);
    expect(r.url).toBe('https://***@x.example/?v=***&api_key=***');
  });
});

describe('the queue protocol', () => {
  const batch = {
    v: PROTOCOL_VERSION,
    sweep: 'mabc-0011aa22',
    batch: 0,
    deadline: 1,
    options: { userAgent: 'ua' },
    secrets: [],
    items: [{ index: 0, site: site('http://127.0.0.1:9/') }],
  };

  it('accepts a batch as the coordinator writes it, and refuses anything else', () => {
    expect(decodeBatch(JSON.parse(JSON.stringify(batch)))).toEqual(JSON.parse(JSON.stringify(batch)));
    for (const bad of [
      null,
      { ...batch, v: 2 },
      { ...batch, sweep: 'a:b' },
      { ...batch, items: [{ index: -1, site: batch.items[0]?.site }] },
      { ...batch, items: [{ index: 0, site: { url: 'http://x/' } }] },
    ]) {
      expect(() => decodeBatch(bad)).toThrow(BadBatchError);
    }
  });

  it('takes a stored result only when it is one', () => {
    expect(decodeResult(JSON.stringify(checked('a', true)))).toEqual(checked('a', true));
    expect(decodeResult('{')).toBeNull();
    expect(decodeResult(JSON.stringify({ ...checked('a', true), ok: 'yes' }))).toBeNull();
    // A worker cannot make a site unchecked: only the coordinator decides that, at the deadline.
    expect(decodeResult(JSON.stringify(unchecked('c')))).toBeNull();
  });
});
