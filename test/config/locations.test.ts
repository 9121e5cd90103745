import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { problemLines } from './problems.js';

describe('"locations" and "quorum" in the config', () => {
  it('are read, and a site may narrow the locations', () => {
    const config = parseConfig(
      JSON.stringify({
        locations: ['eu-west', 'us-east', 'ap-south'],
        quorum: 2,
        sites: ['https://a.example/', { url: 'https://b.example/', locations: ['eu-west', 'us-east'] }],
      }),
      'sites.json',
      {},
    );
    expect(config.locations).toEqual(['eu-west', 'us-east', 'ap-south']);
    expect(config.quorum).toBe(2);
    expect(config.sites[0]?.locations).toBeUndefined();
    expect(config.sites[1]?.locations).toEqual(['eu-west', 'us-east']);
    const plain = parseConfig(JSON.stringify({ sites: ['https://a.example/'] }), 'sites.json', {});
    expect([plain.locations, plain.quorum]).toEqual([null, null]);
  });

  it('reports every problem with its JSON path', () => {
    expect(
      problemLines({
        locations: ['eu-west', 'us east', 'eu-west'],
        quorum: 0,
        sites: [{ url: 'https://a.example/', locations: [] }],
      }),
    ).toEqual([
      expect.stringMatching(/^locations\[1\]: expected a location name: letters, digits/),
      expect.stringMatching(/^locations: a location is listed twice/),
      expect.stringMatching(/^quorum: expected a whole number of locations from 1 to 100/),
      expect.stringMatching(/^sites\[0\]\.locations: the list is empty/),
    ]);
    expect(
      problemLines({
        locations: ['eu-west', 'us-east', 'ap-south'],
        quorum: 3,
        sites: [
          { url: 'https://a.example/', locations: ['eu-wset', 'us-east', 'ap-south'] },
          { url: 'https://b.example/', locations: ['ap-south'] },
        ],
      }),
    ).toEqual([
      'sites[0].locations[0]: "eu-wset" is not in the top-level "locations" (eu-west, us-east, ap-south); did you mean "eu-west"?',
      'sites[1].locations: 1 location(s), fewer than the quorum of 3: the site could never be down or up',
    ]);
    expect(problemLines({ locations: ['a', 'b', 'c'], quorum: 4, sites: ['https://a.example/'] })).toEqual([
      'quorum: 4 is more than the 3 location(s) of "locations": no site could ever be down or up',
    ]);
  });

  it('a quorum needs locations', () => {
    expect(problemLines({ quorum: 2, sites: ['https://a.example/'] })).toEqual([
      'quorum: a quorum needs "locations": the places sites are checked from',
    ]);
  });
});
