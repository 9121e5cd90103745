/**
 * What the notification tests share: per test, a temp folder with a real database (TestStore), the
 * Notifications the test started (stopped after it), and the local servers it opened (closed after it).
 * Call once at the top of a test file; it registers its own beforeEach and afterEach.
 */

import { afterEach, beforeEach, expect } from 'vitest';
import type { Notifications } from '../../src/notify/service.js';
import { tempDir } from '../helpers/processes.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { idleWithin, TestStore } from './harness.js';

export interface NotificationTestbed {
  /** This test's folder. */
  readonly dir: string;
  /** This test's database; replace it with `useStore`. */
  readonly store: TestStore;
  /** Closes the current store and uses `next` from now on (closed after the test). */
  useStore(next: TestStore): void;
  /** Starts `n` (or keeps it, with `loops: false`, for drain()) and stops it after the test. */
  start(n: Notifications, opts?: { loops: boolean }): Notifications;
  /** Stops `n` now (a restart within a test). */
  stop(n: Notifications): Promise<void>;
  /** Fails the test unless `n` goes idle within `timeoutMs`: what was due was sent, no retry is due. */
  settled(n: Notifications, timeoutMs?: number): Promise<void>;
  /** A server of the test, closed after it. */
  closing<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T>;
  /** A webhook receiver, closed after the test. */
  hook(): Promise<TestWebhookReceiver>;
}

export function notificationTestbed(): NotificationTestbed {
  let dir: { path: string; cleanup: () => Promise<void> } | null = null;
  let store: TestStore | null = null;
  const running: Notifications[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    store = TestStore.in(dir.path);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((n) => n.stop()));
    await Promise.all(closers.splice(0).map((close) => close()));
    store?.close();
    await dir?.cleanup();
  });

  const bed: NotificationTestbed = {
    get dir() {
      if (dir === null) throw new Error('no test is running');
      return dir.path;
    },
    get store() {
      if (store === null) throw new Error('no test is running');
      return store;
    },
    useStore(next) {
      store?.close();
      store = next;
    },
    start(n, opts) {
      running.push(n);
      n.start(opts);
      return n;
    },
    async stop(n) {
      running.splice(running.indexOf(n), 1);
      await n.stop();
    },
    async settled(n, timeoutMs = 3000) {
      expect(await idleWithin(n, timeoutMs), 'the notifications went idle').toBe(true);
    },
    async closing(server) {
      const started = await server;
      closers.push(() => started.close());
      return started;
    },
    hook: () => bed.closing(startWebhookReceiver()),
  };
  return bed;
}
