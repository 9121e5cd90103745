import type { Server, Socket } from 'node:net';

export interface SocketTracker {
  /** Connections accepted since the server started, including closed ones. */
  readonly accepted: number;
  /** Connections open now (the client has not closed them, nor the server). */
  readonly open: number;
  destroyAll(): void;
}

/**
 * Remembers every socket a server accepts, so close() can destroy them: server.close() alone
 * waits for open connections, and a test against a silent or trickling server would hang.
 * Must be attached before the server's own 'connection' listeners run anything that may throw.
 */
export function trackSockets(server: Server): SocketTracker {
  const open = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    get accepted() {
      return accepted;
    },
    get open() {
      return open.size;
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}

/** Listens on 127.0.0.1 and an ephemeral port; never any other address. */
export function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Stops listening and destroys open sockets; safe to call more than once. */
export function closer(server: Server, tracker: SocketTracker): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      // The callback's error (server not running) is irrelevant: either way nothing listens.
      server.close(() => resolve());
      tracker.destroyAll();
    });
    return closing;
  };
}
