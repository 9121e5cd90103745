import { createServer, type Socket } from 'node:net';
import { closer, listenLoopback, trackSockets } from './sockets.js';

export interface TestRawServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  port: number;
  /** Connections accepted so far, including closed ones (e.g. to count retries). */
  readonly connections: number;
  /** Connections open now: a client that let go of its sockets leaves none. */
  readonly open: number;
  close(): Promise<void>;
}

/** A bare TCP server on 127.0.0.1 for servers that misbehave below HTTP; see hostile.ts. */
export async function startRawServer(onConnection: (socket: Socket) => void): Promise<TestRawServer> {
  const server = createServer();
  const tracker = trackSockets(server);
  server.on('connection', (socket: Socket) => {
    // Clients resetting or timing out are what these servers are for, not a failure of the test.
    socket.on('error', () => {});
    onConnection(socket);
  });
  const port = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return tracker.accepted;
    },
    get open() {
      return tracker.open;
    },
    close: closer(server, tracker),
  };
}
