/**
 * The config's schemas are built on first use (start-up, issue 12): a config gets the sections it has
 * built, not every section and channel type. zod registers a schema that has an id (`.meta({ id })`) when
 * it is built, which shows from outside whether it was.
 */

import { expect, it } from 'vitest';
import * as z from 'zod';
import { parseConfig } from '../../src/config/load.js';

const built = (id: string) => z.globalRegistry._idmap.has(id);
const parse = (config: unknown) => parseConfig(JSON.stringify(config), 'sites.json', {});

it('builds the site object and the channels only for a config that has them', () => {
  const plain = parse({ sites: ['http://127.0.0.1:9/', 'https://example.com/'] });
  expect(plain.sites.map((s) => s.url)).toEqual(['http://127.0.0.1:9/', 'https://example.com/']);
  expect(built('Site')).toBe(false);
  expect(built('Channel')).toBe(false);

  // A site list with a string that is not a URL gets the whole union's problem, site object included.
  expect(() => parse({ sites: ['example.com'] })).toThrow(/did you mean "https:\/\/example.com"/);
  expect(built('Site')).toBe(true);
  expect(built('Channel')).toBe(false);

  const withChannel = parse({
    sites: ['http://127.0.0.1:9/'],
    channels: { ops: { type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x' } },
  });
  expect(Object.keys(withChannel.channels)).toEqual(['ops']);
  expect(built('Channel')).toBe(true);
});
