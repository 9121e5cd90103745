import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { closer, listenLoopback, trackSockets } from './sockets.js';
import { type TlsFixtureName, tlsFixture } from './tls.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestHttpServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  port: number;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /** Connections accepted so far, including closed ones. */
  readonly connections: number;
  close(): Promise<void>;
}

/** An HTTP (or, with `tls`, HTTPS) server on 127.0.0.1 and an ephemeral port. */
export async function startHttpServer(
  handler: Handler,
  opts: { tls?: TlsFixtureName } = {},
): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const listener: Handler = (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  };
  const server = opts.tls ? createHttpsServer(tlsFixture(opts.tls), listener) : createServer(listener);
  // On an HTTPS server 'connection' carries the TCP socket, so handshakes in progress are tracked too.
  const tracker = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return tracker.accepted;
    },
    close: closer(server, tracker),
  };
}
