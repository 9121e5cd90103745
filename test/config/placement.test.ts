import { describe, expect, it } from 'vitest';
import { problemLines as problems } from './problems.js';

describe('unknown keys: close names only', () => {
  it('does not suggest maxRedirects for maxResponseTimeMs: it lists the allowed keys instead', () => {
    const [problem] = problems({ sites: [{ url: 'https://a.example/', maxResponseTimeMs: 500 }] });
    expect(problem).toBe(
      'sites[0].maxResponseTimeMs: unknown key "maxResponseTimeMs"; allowed keys are url, name, method, timeoutMs, expectStatus, headers, maxRedirects, retries, failureThreshold, successThreshold, repeatAfter, interval, notify, ipFamily, proxy, body, expect, maxBodyBytes, certExpiry, tls, group, locations',
    );
  });

  it('still catches typos, a swapped pair of letters included', () => {
    expect(problems({ sites: [{ url: 'https://a.example/', retires: 1, mehtod: 'GET' }] })).toEqual([
      'sites[0].retires: unknown key "retires"; did you mean "retries"?',
      'sites[0].mehtod: unknown key "mehtod"; did you mean "method"?',
    ]);
  });
});

describe('misplaced keys say where they belong', () => {
  it('a per-site option at the top level, in heartbeat or in summary', () => {
    expect(
      problems({
        timeoutMs: 5000,
        sites: ['https://a.example/'],
        heartbeat: { url: 'https://hc.example/', retries: 2 },
        summary: { schedule: '0 8 * * *', notify: ['x'] },
      }),
    ).toEqual([
      'heartbeat.retries: misplaced key: "retries" is a per-site option: it belongs in "defaults" (for every site) or on a site, not in "heartbeat"',
      'summary.notify: misplaced key: "notify" is a per-site option: it belongs in "defaults" (for every site) or on a site, not in "summary"',
      // zod reports the top level's own unknown keys after those of the sections inside it.
      'timeoutMs: misplaced key: "timeoutMs" is a per-site option: it belongs in "defaults" (for every site) or on a site, not at the top level',
    ]);
  });

  it('a channel setting on a site or in defaults', () => {
    expect(
      problems({
        defaults: { smtp: 'smtp://mail.example' },
        sites: [{ url: 'https://a.example/', type: 'slack', priority: 5 }],
      }),
    ).toEqual([
      'defaults.smtp: misplaced key: "smtp" belongs in a channel under "channels", not in "defaults"',
      'sites[0].type: misplaced key: "type" belongs in a channel under "channels", not on a site',
      'sites[0].priority: misplaced key: "priority" belongs in a channel under "channels", not on a site',
    ]);
  });

  it('a top-level section inside a site or defaults, and a site key in defaults or at the top', () => {
    expect(
      problems({
        url: 'https://top.example/',
        defaults: { name: 'All', heartbeat: { url: 'https://hc.example/' } },
        sites: [{ url: 'https://a.example/', channels: {} }],
      }),
    ).toEqual([
      'defaults.name: misplaced key: "name" belongs on a site, in "sites", not in "defaults"',
      'defaults.heartbeat: misplaced key: "heartbeat" belongs at the top level of the file, not in "defaults"',
      'url: misplaced key: "url" belongs on a site, in "sites", not at the top level',
      'sites[0].channels: misplaced key: "channels" belongs at the top level of the file, not on a site',
    ]);
  });

  it('the keys of summary, connectivity and offline elsewhere', () => {
    expect(
      problems({
        sites: [{ url: 'https://a.example/', schedule: '0 8 * * *', targets: [], minSites: 3 }],
      }),
    ).toEqual([
      'sites[0].schedule: misplaced key: "schedule" belongs in "summary", not on a site',
      'sites[0].targets: misplaced key: "targets" belongs in "connectivity", not on a site',
      'sites[0].minSites: misplaced key: "minSites" belongs in "offline", not on a site',
    ]);
  });

  it('prefers a key that differs only in case from an allowed one', () => {
    // `Name` on a site is `name`, not the misplaced channel key `username` or anything else.
    expect(problems({ sites: [{ url: 'https://a.example/', Name: 'A' }] })).toEqual([
      'sites[0].Name: unknown key "Name"; did you mean "name"?',
    ]);
  });
});
