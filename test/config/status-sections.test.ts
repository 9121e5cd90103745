// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { problemLines } from './problems.js';

const parse = (config: unknown, env: NodeJS.ProcessEnv = {}) =>
  parseConfig(JSON.stringify(config), 'sites.json', env);

describe('the status server sections', () => {
  it('default to no server and a page titled "Status" showing every site', () => {
    const config = parse({ sites: ['https://a.example/'] });
    expect(config.server).toBeNull();
    expect(config.statusPage).toEqual({
      title: 'Status',
      description: null,
      sites: null,
      refreshSeconds: 60,
    });
    expect(config.sites[0]).not.toHaveProperty('group');
  });

  it('read server, statusPage and groups; the token is a secret like a header value', () => {
    const config = parse(
      {
        server: { listen: '0.0.0.0:8080', token: '${METRICS_TOKEN}' },
        statusPage: {
          title: 'Acme',
          description: 'Ours',
          sites: ['Shop', 'https://b.example/', 'c'],
          refreshSeconds: 30,
        },
        sites: [
          { url: 'https://a.example/', name: 'Shop', group: 'Store' },
          { url: 'https://b.example/', group: 'Store' },
          { url: 'https://c.example/', name: 'C' },
        ],
      },
      { METRICS_TOKEN: 'tok-123456' },
    );
    expect(config.server).toEqual({ listen: '0.0.0.0:8080', token: 'tok-123456' });
    expect(config.statusPage).toEqual({
      title: 'Acme',
      description: 'Ours',
      sites: ['Shop', 'https://b.example/', 'c'],
      refreshSeconds: 30,
    });
    expect(config.sites.map((s) => s.group ?? null)).toEqual(['Store', 'Store', null]);
    expect(config.secrets).toContain('tok-123456');
  });

  it('report every problem at once, with paths', () => {
    expect(
      problemLines({
        server: { listen: 'http://x:80', token: '', port: 1 },
        statusPage: { title: '', sites: ['Shpo', 'nobody'], refreshSeconds: 5 },
        sites: [{ url: 'https://a.example/', name: 'Shop', group: 'x'.repeat(81) }],
      }),
    ).toEqual([
      'server.listen: expected [HOST:]PORT such as 8080, 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080, found "http://x:80"',
      'server.token: expected a token string such as "${METRICS_TOKEN}", found string ""',
      'server.port: unknown key "port"; allowed keys are listen, token',
      'statusPage.title: expected a non-empty string such as "Acme status", found string ""',
      'statusPage.refreshSeconds: expected a number of seconds from 10 to 86400, found number 5',
      'statusPage.sites[0]: "Shpo" is no site of this config: give a site\'s name, URL or id; did you mean "Shop"?',
      'statusPage.sites[1]: "nobody" is no site of this config: give a site\'s name, URL or id',
      'sites[0].group: too long: at most 80 characters',
    ]);
  });

  it('say where a misplaced key belongs', () => {
    expect(
      problemLines({
        defaults: { group: 'G' },
        server: { title: 'T' },
        statusPage: { listen: '8080' },
        sites: ['https://a.example/'],
      }),
    ).toEqual([
      'defaults.group: misplaced key: "group" belongs on a site, in "sites", not in "defaults"',
      'server.title: misplaced key: "title" belongs in "statusPage", not in "server"',
      'statusPage.listen: misplaced key: "listen" belongs in "server", not in "statusPage"',
    ]);
  });
});
