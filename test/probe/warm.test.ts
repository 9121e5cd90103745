/**
 * The warm-up before a process's first check (src/probe/warm.ts): a whole check on a canned socket and
 * Node's connect on a socket that never connects. It must send nothing and change no result.
 */

import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/core/version.js';
import { HttpClient } from '../../src/probe/http.js';
import { probe } from '../../src/probe/probe.js';
import { rehearse } from '../../src/probe/warm.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';

const { defer, serve } = useCleanup();

describe('probe: the warm-up before the first check', () => {
  it('checks on a canned socket and connects nowhere: the first connection the server sees is the real check', async () => {
    const server = await serve(status(200));

    // Aimed at the server's own address: had it connected, the server would have accepted it first.
    const warm = await rehearse(USER_AGENT, server.port);
    expect(warm).toMatchObject({ url: `${server.url}/`, ok: true, status: 200, method: 'HEAD', attempts: 1 });
    const t = warm.timings;
    const phases = (t.dnsMs ?? 0) + (t.connectMs ?? 0) + (t.tlsMs ?? 0) + (t.ttfbMs ?? 0);
    expect(phases).toBeLessThanOrEqual(t.totalMs + 0.15);

    const client = new HttpClient();
    defer(() => client.close());
    const context = { client, userAgent: USER_AGENT };
    const result = await probe(site(`${server.url}/`, { retries: 0, timeoutMs: 5000 }), context);
    expect(result).toMatchObject({ ok: true, status: 200, method: 'HEAD', kind: 'ok', error: null });
    expect(result).toMatchObject({ httpVersion: '1.1', remoteAddress: `127.0.0.1:${server.port}` });
    expect(result.timings.connectMs).not.toBeNull();
    expect(result.timings.ttfbMs).not.toBeNull();
    expect(server.connections).toBe(1);
    expect(server.requests).toMatchObject([
      { method: 'HEAD', url: '/', headers: { 'user-agent': USER_AGENT } },
    ]);
  });
});
