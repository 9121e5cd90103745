import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../../../src/core/site.js';
import { finish, reportDecided } from '../../../src/strategies/queue/finish.js';
import { planLanes } from '../../../src/strategies/queue/lanes.js';
import { locationSettings } from '../../../src/strategies/queue/options.js';
import { type LocationOutcome, quorumVerdict } from '../../../src/strategies/queue/quorum.js';

const site: Site = { ...DEFAULT_OPTIONS, url: 'https://shop.example/', name: 'Shop' };
const now = new Date('2026-01-02T03:04:05.000Z');
const same = (t: string) => t;

function result(ok: boolean, over: Partial<Result> = {}): Result {
  return {
    url: site.url,
    name: site.name,
    ok,
    status: ok ? 200 : null,
    method: 'HEAD',
    kind: ok ? 'ok' : 'refused',
    error: ok ? null : 'connection refused',
    attempts: 1,
    redirects: 0,
    timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 4, totalMs: ok ? 180 : 12 },
    durationMs: 20,
    checkedAt: now.toISOString(),
    ...over,
  };
}

const up = (location: string, over?: Partial<Result>): LocationOutcome => ({
  location,
  result: result(true, over),
  reason: '',
});
const down = (location: string, over?: Partial<Result>): LocationOutcome => ({
  location,
  result: result(false, over),
  reason: '',
});
const silent = (location: string, reason = `no live worker in ${location}`): LocationOutcome => ({
  location,
  result: null,
  reason,
});

const verdict = (outcomes: LocationOutcome[], quorum = 2) => quorumVerdict(site, outcomes, quorum, same, now);

describe('the quorum verdict', () => {
  it('is down when the quorum sees it down, saying where, and where it is up', () => {
    const v = verdict([down('eu-west'), down('us-east'), up('ap-south')]);
    expect(v.ok).toBe(false);
    expect(v.kind).toBe('refused');
    expect(v.error).toBe(
      'down from eu-west and us-east (ap-south sees it up: 200 in 180 ms): connection refused',
    );
    expect(v.locations?.map((l) => [l.location, l.ok, l.kind, l.status])).toEqual([
      ['eu-west', false, 'refused', null],
      ['us-east', false, 'refused', null],
      ['ap-south', true, 'ok', 200],
    ]);
  });

  it('names each location with its failure when they fail differently', () => {
    const v = verdict([down('eu-west'), down('us-east', { kind: 'timeout', error: 'no answer in 10 s' })]);
    expect(v.error).toBe(
      'down from eu-west and us-east: eu-west: connection refused; us-east: no answer in 10 s',
    );
  });

  it('is up below the quorum, with a note saying which location sees it down', () => {
    const v = verdict([down('eu-west'), up('us-east'), up('ap-south')]);
    expect(v.ok).toBe(true);
    expect(v.error).toBeNull();
    expect(v.note).toBe('down from eu-west only, below the quorum of 2: connection refused');
    expect(verdict([up('a'), up('b'), up('c')]).note ?? null).toBeNull();
  });

  it('is up when the quorum answered even if another location did not', () => {
    const v = verdict([up('eu-west'), down('us-east'), silent('ap-south')]);
    expect(v.ok).toBe(true);
    expect(v.locations?.[2]).toMatchObject({
      location: 'ap-south',
      ok: null,
      kind: 'unchecked',
      error: 'no live worker in ap-south',
    });
  });

  it('is unchecked, never up, when fewer than the quorum answered', () => {
    const v = verdict([up('eu-west'), silent('us-east'), silent('ap-south')]);
    expect(v.ok).toBeNull();
    expect(v.kind).toBe('unchecked');
    expect(v.error).toBe(
      'only 1 of 3 location(s) answered, fewer than the quorum of 2; us-east: no live worker in us-east; ap-south: no live worker in ap-south',
    );
    // One location down and nothing else: not enough to say down, and never up.
    const one = verdict([down('eu-west'), silent('us-east')]);
    expect(one.ok).toBeNull();
    expect(one.error).toMatch(
      /^only 1 of 2 location\(s\) answered, fewer than the quorum of 2 \(down from eu-west\)/,
    );
  });

  it('a quorum of 1 is down as soon as one location sees it down', () => {
    expect(verdict([up('a'), down('b')], 1).ok).toBe(false);
    expect(verdict([up('a'), up('b')], 1).ok).toBe(true);
  });
});

describe('the lanes of a sweep', () => {
  const sites: Site[] = [
    site,
    { ...site, url: 'https://a.example/', locations: ['us-east', 'ap-south'] },
    { ...site, url: 'https://b.example/', locations: ['elsewhere'] },
  ];

  it('without locations: one lane, the plain queue, every site', () => {
    expect(planLanes(sites, undefined, undefined)).toEqual({
      lanes: [{ indexes: [0, 1, 2] }],
      siteLocations: null,
      quorum: 1,
    });
  });

  it('one lane per location, with the sites checked from there; a site narrows the set; a majority by default', () => {
    const plan = planLanes(sites, ['eu-west', 'us-east', 'ap-south'], undefined);
    expect(plan.lanes).toEqual([
      { location: 'eu-west', indexes: [0] },
      { location: 'us-east', indexes: [0, 1] },
      { location: 'ap-south', indexes: [0, 1] },
    ]);
    expect(plan.siteLocations).toEqual([['eu-west', 'us-east', 'ap-south'], ['us-east', 'ap-south'], []]);
    expect(plan.quorum).toBe(2);
    expect(planLanes(sites, ['a', 'b', 'c', 'd'], 3).quorum).toBe(3);
  });

  it('the command line wins over the config; a config quorum too large for it gives way to the majority', () => {
    const config = { locations: ['a', 'b', 'c'], quorum: 3 };
    expect(locationSettings(config, {})).toEqual({ locations: ['a', 'b', 'c'], quorum: 3 });
    expect(locationSettings(config, { locations: ['a', 'b'] })).toEqual({ locations: ['a', 'b'] });
    expect(locationSettings(config, { locations: ['a', 'b'], quorum: 1 })).toEqual({
      locations: ['a', 'b'],
      quorum: 1,
    });
    expect(locationSettings({ locations: null, quorum: null }, {})).toEqual({});
    expect(() => locationSettings({ locations: null, quorum: null }, { quorum: 2 })).toThrow(
      /--quorum needs locations/,
    );
    expect(() => locationSettings(config, { quorum: 4 })).toThrow(/--quorum 4 is more than the 3 location/);
  });
});

describe('the end of a sweep with locations', () => {
  const sites: Site[] = [site, { ...site, url: 'https://b.example/' }];
  const plan = planLanes(sites, ['eu-west', 'us-east', 'ap-south'], 2);
  const got = (entries: Array<[number, string, boolean]>) =>
    new Map(entries.map(([i, loc, ok]) => [`${i}@${loc}`, result(ok, { url: sites[i]?.url ?? '' })]));

  it('names each location that left checks without a result, once, and gives every verdict', () => {
    const reported: Array<[number, boolean | null]> = [];
    const summaries: unknown[] = [];
    const lanes = [
      { location: 'eu-west', indexes: [0, 1], workers: 1, left: false, outstanding: 0 },
      { location: 'us-east', indexes: [0, 1], workers: 1, left: false, outstanding: 0 },
      { location: 'ap-south', indexes: [0, 1], workers: 0, left: true, outstanding: 2 },
    ];
    const results = finish(
      sites,
      lanes,
      plan,
      got([
        [0, 'eu-west', true],
        [0, 'us-east', false],
        [1, 'eu-west', false],
        [1, 'us-east', false],
      ]),
      {
        deadlineMs: 60_000,
        waitForWorkersMs: 5000,
        redact: same,
        onResult: (r, i) => reported.push([i, r.ok]),
        onLocations: (s) => summaries.push(s),
      },
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]?.error).toMatch(/^down from eu-west and us-east \(ap-south gave no result\): /);
    expect(results[0]?.locations?.[2]?.error).toBe('no live worker in ap-south (none connected within 5s)');
    expect(reported).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(summaries).toEqual([
      {
        locations: ['eu-west', 'us-east', 'ap-south'],
        quorum: 2,
        missing: [
          {
            location: 'ap-south',
            missing: 2,
            reason: 'no live worker in ap-south (none connected within 5s)',
          },
        ],
      },
    ]);
  });

  it('stopped by a signal: only the verdicts no missing result could change are reported', () => {
    const reported: Array<[number, boolean | null]> = [];
    reportDecided(
      sites,
      plan,
      got([
        // Site 0: two up, one missing: even a down from ap-south could not make it down.
        [0, 'eu-west', true],
        [0, 'us-east', true],
        // Site 1: one up, one down, one missing: ap-south decides.
        [1, 'eu-west', true],
        [1, 'us-east', false],
      ]),
      { redact: same, onResult: (r, i) => reported.push([i, r.ok]) },
    );
    expect(reported).toEqual([[0, true]]);
  });
});
