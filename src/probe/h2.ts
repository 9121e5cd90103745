/**
 * HTTP/2 on a connection of our own whose TLS handshake chose h2 by ALPN: undici's Client speaks it over
 * the socket we hand it, for this one request. undici is loaded on the first such connection only, so a
 * sweep of HTTP/1.1 sites never loads it.
 */

import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { MAX_HEADER_BYTES } from './classify.js';
import type { H1Request, ResponseHandler } from './h1.js';

type Undici = typeof import('undici');
let undici: Promise<Undici> | null = null;

/** Headers that belong to the HTTP/1.1 connection, not to an HTTP/2 request (RFC 9113, 8.2.2). */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * Send `req` to `origin` over `socket` and report the response to `handler`. Returns a function that
 * closes the connection, called once the verdict is known or the time is up.
 */
export function exchangeH2(
  socket: Socket,
  origin: string,
  req: H1Request,
  handler: ResponseHandler,
): () => void {
  let closed = false;
  let client: Dispatcher | null = null;
  let done: Error | null = null;
  undici ??= import('undici');
  undici.then(
    ({ Client, errors }) => {
      if (closed) return;
      done = new errors.InformationalError('check done: HTTP/2 connection closed');
      let given = false;
      const c = new Client(origin, {
        pipelining: 1,
        // The check's own deadline (send.ts) bounds every phase.
        headersTimeout: 0,
        bodyTimeout: 0,
        maxHeaderSize: MAX_HEADER_BYTES,
        allowH2: true,
        // This connection, once; undici reconnects after a close, which must not open another.
        connect: (_opts, callback) => {
          if (given) return callback(new errors.SocketError('connection already used'), null);
          given = true;
          callback(null, socket);
        },
      });
      client = c;
      const headers: Record<string, string> = {};
      for (const name in req.headers) {
        if (!CONNECTION_HEADERS.has(name)) headers[name] = req.headers[name] as string;
      }
      c.dispatch(
        { origin, path: req.path, method: req.method as Dispatcher.HttpMethod, headers, body: req.body },
        {
          onConnect() {},
          onHeaders(status, raw) {
            // Interim 1xx responses carry no verdict.
            if (status < 200) return true;
            const names: string[] = [];
            for (const part of raw) names.push(String(part));
            return handler.onHeaders(status, names, performance.now());
          },
          onData: (chunk) => handler.onData(chunk),
          onComplete: () => handler.onComplete(),
          onError: (err) => handler.onError(err),
        },
      );
    },
    (err: Error) => handler.onError(err),
  );
  return () => {
    if (closed) return;
    closed = true;
    if (client && done) void client.destroy(done).catch(() => {});
    else socket.destroy();
  };
}
