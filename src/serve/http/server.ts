/**
 * The read-only status server (node:http) with every limit of SERVER_LIMITS set, so that it can face the
 * internet beside the daemon without a client being able to slow a sweep down.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ListenAt } from '../../util/listen.js';
import { ListenError } from '../errors.js';
import { SERVER_LIMITS, type ServerLimits } from './limits.js';

export type ListenAddress = ListenAt;

export interface StatusServer {
  /** Open connections now (for the tests of the limits). */
  connections(): Promise<number>;
  /** Where it listens (the real port when 0 was asked for). */
  address: ListenAddress;
  /** `http://HOST:PORT`, IPv6 hosts in brackets. */
  url: string;
  /** Stops accepting, closes every connection, resolves when the socket is released. */
  close(): Promise<void>;
}

export function formatAddress({ host, port }: ListenAddress): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function reasonOf(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return 'the address is already in use by another program; pick another port, or stop that program';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges); pick a port of 1024 or above';
    case 'EADDRNOTAVAIL':
      return 'this machine has no such address; listen on one of its own, or 0.0.0.0 for all';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return error.message;
  }
}

/** Answers a malformed or oversized request head in a word and drops the connection. */
function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroySoon();
}

/** `limits`: SERVER_LIMITS unless a test shortens them. */
export async function startStatusServer(
  at: ListenAddress,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  limits: ServerLimits = SERVER_LIMITS,
): Promise<StatusServer> {
  const server: Server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      // No Nagle delay: answers are one write each.
      noDelay: true,
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  server.on('clientError', onClientError);

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      reject(new ListenError(formatAddress(at), reasonOf(error), { cause: error }));
    };
    server.once('error', fail);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const bound = server.address();
  const address = { host: at.host, port: typeof bound === 'object' && bound !== null ? bound.port : at.port };
  // Errors after the start (EMFILE on accept, say) must not crash the daemon; accepting goes on.
  server.on('error', () => {});
  return {
    connections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
      ),
    address,
    url: `http://${formatAddress(address)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
