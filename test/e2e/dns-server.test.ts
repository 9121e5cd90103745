/** `check --dns-server` on the built bin: names resolved by the DNS server given, the way a user points it. */

import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { startDnsServer } from '../helpers/dns-server.js';
import { status } from '../helpers/handlers.js';
import { runBin } from '../helpers/processes.js';

// These tests run the built program (dist/): `npm test` builds it first.

const { serve, config, defer } = useCleanup();
const ENV = { NO_COLOR: '', FORCE_COLOR: '' };

describe('check --dns-server', () => {
  it.each(['async', 'threads'])(
    '%s mode asks the server given for names; a name it does not know is down with kind dns',
    async (mode) => {
      const server = await serve(status(200));
      const dns = await startDnsServer({ 'shop.squirrel.test': '127.0.0.1' });
      defer(dns.close);
      const file = await config([
        `http://shop.squirrel.test:${server.port}/`,
        `http://gone.squirrel.test:${server.port}/`,
      ]);

      const args = ['check', file, '--json', '--retries', '0', '--mode', mode, '--dns-server', dns.server];
      const run = await runBin(args, {
        env: ENV,
        timeoutMs: 20_000,
      });

      expect(run.code).toBe(1);
      const results = JSON.parse(run.stdout).results as { ok: boolean; kind: string; error: string | null }[];
      expect(results.map((r) => [r.ok, r.kind])).toEqual([
        [true, 'ok'],
        [false, 'dns'],
      ]);
      expect(results[1]?.error).toBe('host name gone.squirrel.test not found (DNS)');
      expect(new Set(dns.queries)).toEqual(new Set(['shop.squirrel.test', 'gone.squirrel.test']));
    },
  );

  it('a value that is not an address is a usage error naming the option', async () => {
    const file = await config(['http://127.0.0.1:1/']);
    const run = await runBin(['check', file, '--dns-server', 'dns.example'], { env: ENV, timeoutMs: 20_000 });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dns-server takes an IP address');
    expect(run.stderr).toContain('"dns.example"');
  });
});
