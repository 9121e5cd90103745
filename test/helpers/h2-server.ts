import {
  createSecureServer,
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { closer, listenLoopback, trackSockets } from './sockets.js';
import { type TlsFixtureName, tlsFixture } from './tls.js';

export type H2Handler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

export interface H2Request {
  method: string;
  url: string;
  /** "2.0" or "1.1": what the client spoke. */
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestH2Server {
  /** `https://127.0.0.1:PORT` (or `http://` for h2c), without a trailing slash. */
  url: string;
  port: number;
  requests: H2Request[];
  /** TCP connections accepted so far, and open now. */
  readonly connections: number;
  readonly open: number;
  close(): Promise<void>;
}

const ok: H2Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
};

/**
 * An HTTP/2 server on 127.0.0.1 and an ephemeral port, as HAProxy `alpn h2` or a gRPC gateway is:
 * over TLS (a fixture certificate, 'server' by default) offering h2 by ALPN, and HTTP/1.1 as well only
 * with `allowHTTP1`; or, with `cleartext`, h2c with prior knowledge only, which an HTTP/1.1 client
 * cannot talk to. Each request is recorded with its body once that has arrived.
 */
export async function startH2Server(
  opts: { allowHTTP1?: boolean; cleartext?: boolean; tls?: TlsFixtureName; handler?: H2Handler } = {},
): Promise<TestH2Server> {
  const requests: H2Request[] = [];
  const handler = opts.handler ?? ok;
  const listener = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      requests.push({
        method: req.method,
        url: req.url,
        httpVersion: req.httpVersion,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
    handler(req, res);
  };
  const server = opts.cleartext
    ? createServer(listener)
    : createSecureServer(
        { ...tlsFixture(opts.tls ?? 'server'), allowHTTP1: opts.allowHTTP1 ?? false },
        listener,
      );
  // A client resetting streams or connections is what some tests are about, not a failure of the test.
  server.on('sessionError', () => {});
  const tracker = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    url: `${opts.cleartext ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return tracker.accepted;
    },
    get open() {
      return tracker.open;
    },
    close: closer(server, tracker),
  };
}
