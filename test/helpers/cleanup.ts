import { afterEach } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import type { Behaviour } from './hostile.js';
import { type Handler, startHttpServer, type TestHttpServer } from './http-server.js';
import { tempDir, writeJson } from './processes.js';
import { startRawServer, type TestRawServer } from './raw-server.js';
import type { TlsFixtureName } from './tls.js';

/**
 * Things a test starts and the suite must stop: `defer` a closer, or start a server through
 * `serve`/`raw`/`config` and it is closed after each test, whatever the test's outcome.
 */
export function useCleanup() {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const defer = (close: () => Promise<void>) => {
    closers.push(close);
  };
  return {
    defer,
    async serve(handler: Handler, opts: { tls?: TlsFixtureName } = {}): Promise<TestHttpServer> {
      const server = await startHttpServer(handler, opts);
      defer(server.close);
      return server;
    },
    async raw(behaviour: Behaviour): Promise<TestRawServer> {
      const server = await startRawServer(behaviour);
      defer(server.close);
      return server;
    },
    /** A sites.json with `value` in a fresh temporary folder; returns its path. */
    async config(value: unknown): Promise<string> {
      const dir = await tempDir();
      defer(dir.cleanup);
      return writeJson(dir.path, 'sites.json', value);
    },
  };
}

/** A resolved Site with the built-in defaults. */
export function site(url: string, overrides: Partial<Site> = {}): Site {
  return { ...DEFAULT_OPTIONS, url, name: null, ...overrides };
}
