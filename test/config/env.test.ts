// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { configProblems } from './problems.js';

const read = (name: string) => readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8');

const ENV = {
  HOST: 'status.example.com',
  API_TOKEN: 'tok-123',
  URL_KEY: 'url-key-9',
  SITE_KEY: 'site-key-7',
  EMPTY: '',
  HOOK_ID: 'hook-42',
};

describe('${VAR} substitution', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('replaces references in URLs, headers and channels', () => {
    const config = parseConfig(read('env.json'), 'env.json', ENV);
    expect(config.sites[0]?.url).toBe('https://status.example.com/health?key=url-key-9');
    expect(config.sites[0]?.headers).toEqual({
      Authorization: 'Bearer tok-123',
      'X-Api-Key': 'site-key-7',
      'X-Empty': '',
    });
    expect(config.channels).toEqual({
      hook: { type: 'webhook', url: 'https://hooks.example.com/hook-42', method: 'POST', headers: {} },
    });
  });

  it('keeps $${VAR} as the literal text ${VAR}', () => {
    const config = parseConfig(read('env.json'), 'env.json', ENV);
    expect(config.sites[1]?.url).toBe('https://literal.example.com/${NOT_A_VAR}');
    expect(config.sites[1]?.name).toBe('Costs $${PRICE}');
  });

  it('collects non-empty values from headers and channels as secrets, not from URLs', () => {
    const config = parseConfig(read('env.json'), 'env.json', ENV);
    expect(config.secrets).toEqual(['tok-123', 'site-key-7', 'hook-42']);
  });

  it('counts a heartbeat URL built from a variable as a secret', () => {
    const text = JSON.stringify({
      sites: ['https://example.com/'],
      heartbeat: { url: 'https://hc.example.com/ping/${HC_UUID}' },
    });
    const config = parseConfig(text, 'sites.json', { HC_UUID: 'b5f2c9e0-uuid' });
    expect(config.secrets).toEqual(['b5f2c9e0-uuid']);
  });

  it('uses process.env when no environment is passed', () => {
    vi.stubEnv('SQUIRREL_TEST_HOST', 'from-process.example.com');
    const config = parseConfig('["https://${SQUIRREL_TEST_HOST}/"]', 'sites.json');
    expect(config.sites[0]?.url).toBe('https://from-process.example.com/');
  });

  it('reports each unset variable with its name and path, once', () => {
    expect(configProblems(read('env-unset.json'))).toEqual([
      {
        path: 'defaults.headers.Authorization',
        message: expect.stringMatching(
          /^environment variable MISSING_TOKEN is not set \(used as \$\{MISSING_TOKEN\}\)/,
        ),
      },
      { path: 'sites[0]', message: expect.stringMatching(/environment variable MISSING_HOST is not set/) },
      { path: 'sites[1]', message: expect.stringMatching(/"\$\{1BAD\}" is not a variable reference/) },
      { path: 'sites[2]', message: expect.stringMatching(/unclosed "\$\{"/) },
    ]);
  });

  it('names the header in the path when its variable is unset', () => {
    const text = '[{"url": "https://example.com", "headers": {"X-Api-Key": "${NO_SUCH_KEY}"}}]';
    expect(configProblems(text, 'sites.json', {})).toEqual([
      { path: 'sites[0].headers["X-Api-Key"]', message: expect.stringMatching(/NO_SUCH_KEY is not set/) },
    ]);
  });

  it('does not turn a substituted number into a number', () => {
    const text = '[{"url": "https://example.com", "timeoutMs": "${TIMEOUT}", "retries": "${RETRIES}"}]';
    expect(configProblems(text, 'sites.json', { TIMEOUT: '5000', RETRIES: '2' })).toEqual([
      {
        path: 'sites[0].timeoutMs',
        message: expect.stringMatching(
          /found string "5000" \(a duration string needs a unit, such as "5000ms"/,
        ),
      },
      {
        path: 'sites[0].retries',
        message: expect.stringMatching(/found string "2" \(write numbers without quotes/),
      },
    ]);
  });

  it('lets a duration key take a variable that holds a duration with its unit', () => {
    const text = '[{"url": "https://example.com", "timeoutMs": "${TIMEOUT}"}]';
    expect(parseConfig(text, 'sites.json', { TIMEOUT: '2.5s' }).sites[0]?.timeoutMs).toBe(2500);
  });
});
