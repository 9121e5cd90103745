import { createServer } from 'node:http';
import { closer, listenLoopback, trackSockets } from './sockets.js';

export interface ProxyRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The Proxy-Authorization header as received; undefined without. */
  authorization: string | undefined;
}

export interface TestRefusingProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  requests: ProxyRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 that refuses everything with `status` (407 Proxy Authentication Required by
 * default, with a Basic challenge), to CONNECT and to absolute-form requests alike, and records what it
 * was asked.
 */
export async function startRefusingProxy(status = 407): Promise<TestRefusingProxy> {
  const requests: ProxyRequest[] = [];
  const reason = status === 407 ? 'Proxy Authentication Required' : 'Refused';
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      target: req.url ?? '',
      authorization: req.headers['proxy-authorization'],
    });
    res.writeHead(status, reason, {
      'proxy-authenticate': 'Basic realm="squirrel-test"',
      'content-length': '0',
    });
    res.end();
  });
  server.on('connect', (req, socket) => {
    requests.push({
      method: 'CONNECT',
      target: req.url ?? '',
      authorization: req.headers['proxy-authorization'],
    });
    socket.on('error', () => {});
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nProxy-Authenticate: Basic realm="squirrel-test"\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  const tracker = trackSockets(server);
  const port = await listenLoopback(server);
  return { url: `http://127.0.0.1:${port}`, port, requests, close: closer(server, tracker) };
}
