import { createHook } from 'node:async_hooks';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { endlessInterim, trickleBody, trickleHeaders } from '../helpers/hostile.js';
import { startRawServer, type TestRawServer } from '../helpers/raw-server.js';

// An interval no other code in the process uses, so the hook below sees only the behaviours'
// timers (counting every active timer was blurred by vitest's own). Long enough that the
// behaviours' fallback check on the next tick cannot pass for the prompt clearing tested here.
const INTERVAL = 97;

/** Intervals of INTERVAL ms alive in this process, tracked through async_hooks init/destroy. */
function watchIntervals(): { live: Set<number>; stop(): void } {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      // _repeat is how Node's Timeout stores an interval's period.
      if (type === 'Timeout' && (resource as { _repeat?: unknown })._repeat === INTERVAL) live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  });
  hook.enable();
  return { live, stop: () => hook.disable() };
}

/** Destroy hooks run asynchronously; a few turns of the loop deliver them, far less than INTERVAL. */
async function settle(live: Set<number>): Promise<void> {
  for (let turn = 0; turn < 10 && live.size > 0; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let server: TestRawServer | undefined;
let watcher: ReturnType<typeof watchIntervals> | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  watcher?.stop();
  watcher = undefined;
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  server = undefined;
});

const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** Connects, sends a request and waits for the second chunk, which only the timer sends. */
async function trickling(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  socket.on('error', () => {});
  socket.write(REQUEST);
  await once(socket, 'data');
  await once(socket, 'data');
  return socket;
}

describe('hostile behaviours clear their timers', () => {
  const ticking = {
    trickleHeaders: () => trickleHeaders(INTERVAL),
    endlessInterim: () => endlessInterim(103, INTERVAL),
    trickleBody: () => trickleBody(INTERVAL),
  };

  for (const [name, behaviour] of Object.entries(ticking)) {
    it(`${name}(): when close() is called`, async () => {
      watcher = watchIntervals();
      server = await startRawServer(behaviour());
      const socket = await trickling(server.port);
      expect(watcher.live.size).toBe(1);

      await server.close();
      if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve));
      await settle(watcher.live);
      expect(watcher.live.size).toBe(0);
    });

    it(`${name}(): when the client goes away`, async () => {
      watcher = watchIntervals();
      const accepted: Socket[] = [];
      const run = behaviour();
      server = await startRawServer((socket) => {
        accepted.push(socket);
        run(socket);
      });
      const socket = await trickling(server.port);
      expect(watcher.live.size).toBe(1);

      socket.resetAndDestroy();
      const serverSide = accepted[0];
      if (!serverSide) throw new Error('no connection accepted');
      // Not events.once(): it would reject on the ECONNRESET the server side sees first.
      if (!serverSide.closed) await new Promise((resolve) => serverSide.once('close', resolve));
      await settle(watcher.live);
      expect(watcher.live.size).toBe(0);
    });
  }
});
