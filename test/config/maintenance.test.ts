import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/config/describe.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { problemLines } from './problems.js';

const SITES = [{ url: 'https://a.example/', name: 'a' }, 'https://b.example/'];
const problems = (extra: object) => problemLines({ sites: SITES, ...extra });
const load = (extra: object): Config =>
  parseConfig(JSON.stringify({ sites: SITES, ...extra }), 'sites.json', {});

const NIGHTLY = { name: 'nightly deploy', every: '0 2 * * *', duration: '30m', timezone: 'Europe/Berlin' };
const ONE_OFF = {
  name: 'migration',
  sites: ['a'],
  start: '2026-12-24T22:00:00Z',
  end: '2026-12-25T02:00:00+01:00',
};

describe('maintenance windows in the config', () => {
  it('reads recurring and one-off windows, and the time zone', () => {
    const config = load({ maintenance: [NIGHTLY, ONE_OFF], timezone: 'America/New_York' });
    expect(config.timeZone).toBe('America/New_York');
    expect(config.maintenance).toEqual([
      {
        name: 'nightly deploy',
        sites: null,
        time: { every: '0 2 * * *', durationMs: 30 * 60_000, timeZone: 'Europe/Berlin' },
      },
      {
        name: 'migration',
        sites: ['a'],
        time: { start: Date.parse('2026-12-24T22:00:00Z'), end: Date.parse('2026-12-25T01:00:00Z') },
      },
    ]);
  });

  it('has none, and the system time zone, when the config says nothing', () => {
    expect(load({})).toMatchObject({ maintenance: [], timeZone: null });
  });

  it('lists every problem at once, each with its path', () => {
    expect(
      problems({
        timezone: 'Mars/Olympus',
        maintenance: [
          { name: 'bad cron', every: '61 2 * * *', duration: '30m' },
          { name: 'bad duration', every: '0 2 * * *', duration: '30' },
          { name: 'bad zone', every: '0 2 * * *', duration: '1h', timezone: 'Europe/Nowhere' },
          { name: 'backwards', start: '2026-12-25T02:00:00Z', end: '2026-12-24T22:00:00Z' },
          { name: 'no offset', start: '2026-12-24T22:00:00', end: '2026-12-25T02:00:00Z' },
          {
            name: 'both',
            every: '0 2 * * *',
            duration: '1h',
            start: '2026-12-24T22:00:00Z',
            end: '2026-12-25T02:00:00Z',
          },
          { name: 'half', every: '0 2 * * *' },
          {
            name: 'unknown site',
            sites: ['c'],
            start: '2026-12-24T22:00:00Z',
            end: '2026-12-25T02:00:00Z',
            dration: 1,
          },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^maintenance\[0\]\.every: "61 2 \* \* \*" is not a valid cron expression/),
      expect.stringMatching(/^maintenance\[1\]\.duration: .*a duration string needs a unit/),
      'maintenance[2].timezone: expected an IANA time zone such as "Europe/Berlin", found string "Europe/Nowhere"',
      'maintenance[3].end: the end (2026-12-24T22:00:00Z) is not after the start (2026-12-25T02:00:00Z)',
      expect.stringMatching(/^maintenance\[4\]\.start: expected an ISO-8601 time with an offset/),
      'maintenance[5]: a window is either recurring ("every" and "duration") or one-off ("start" and "end"), not both',
      expect.stringMatching(/^maintenance\[6\]\.duration: missing: expected/),
      expect.stringMatching(/^maintenance\[7\]\.dration: unknown key "dration"; did you mean "duration"\?/),
      'timezone: expected an IANA time zone such as "Europe/Berlin", found string "Mars/Olympus"',
      'maintenance[7].sites[0]: "c" is no site of this config: give a site\'s name, URL or id',
    ]);
  });
});

describe('validate lists the windows', () => {
  it('with their next occurrence, in their time zone', () => {
    const config = load({ maintenance: [NIGHTLY, ONE_OFF] });
    const text = describeConfig(config, Date.parse('2026-03-28T12:00:00Z'));
    // Europe/Berlin moves to summer time in the night of 2026-03-29: 02:00 local does not exist; the
    // cron library starts it at 03:00 local (01:00 UTC).
    expect(text).toContain(
      'maintenance "nightly deploy" (every site): every "0 2 * * *" for 30m (Europe/Berlin); next 2026-03-29T01:00:00.000Z to 2026-03-29T01:30:00.000Z',
    );
    expect(text).toContain(
      'maintenance "migration" (a): from 2026-12-24T22:00:00.000Z to 2026-12-25T01:00:00.000Z; next 2026-12-24T22:00:00.000Z to 2026-12-25T01:00:00.000Z',
    );
    expect(describeConfig(config, Date.parse('2026-12-24T23:00:00Z'))).toContain(
      'maintenance "migration" (a): from 2026-12-24T22:00:00.000Z to 2026-12-25T01:00:00.000Z; on now, until 2026-12-25T01:00:00.000Z',
    );
    expect(describeConfig(config, Date.parse('2027-01-01T00:00:00Z'))).toContain('; over');
  });
});
