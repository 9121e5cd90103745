import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** What a raw server does with each accepted connection; pass to startRawServer(). */
export type Behaviour = (socket: Socket) => void;

const END_OF_HEAD = Buffer.from('\r\n\r\n');
// A request head bigger than this is not a request these helpers expect; answer anyway.
const MAX_REQUEST_HEAD = 64 * 1024;

/**
 * Calls `respond` once the client has sent a whole request head. Answering before it would race
 * the client's own write, and some clients treat bytes on a socket they have not used as an error.
 * Later bytes are read and discarded, so the socket notices when the client hangs up.
 */
function afterRequestHead(socket: Socket, respond: () => void): void {
  let seen = Buffer.alloc(0);
  let answered = false;
  socket.on('data', (chunk: Buffer) => {
    if (answered) return;
    seen = Buffer.concat([seen, chunk]);
    if (seen.includes(END_OF_HEAD) || seen.length > MAX_REQUEST_HEAD) {
      answered = true;
      respond();
    }
  });
}

/** setInterval whose timer dies with the socket (which raw-server close() destroys). */
function every(socket: Socket, ms: number, tick: (stop: () => void) => void): void {
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) stop();
    else tick(stop);
  }, ms);
  const stop = (): void => clearInterval(timer);
  socket.once('close', stop);
}

/** Accepts the connection and never answers. */
export function silent(): Behaviour {
  return (socket) => {
    socket.resume();
  };
}

/** Sends a status line, then one byte of a header every `intervalMs`, never ending the head. */
export function trickleHeaders(intervalMs = 1000): Behaviour {
  const header = 'X-Trickle: ';
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.write('HTTP/1.1 200 OK\r\n');
      let sent = 0;
      every(socket, intervalMs, () => {
        socket.write(header[sent] ?? 'a');
        sent += 1;
      });
    });
  };
}

/** Reads the request, sends half a response head, then resets the connection (client sees ECONNRESET). */
export function resetMidResponse(): Behaviour {
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Ty', () => socket.resetAndDestroy());
    });
  };
}

/** Reads the request, sends part of a response head, then closes cleanly (FIN, no reset). */
export function closeMidResponse(): Behaviour {
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Ty');
    });
  };
}

/** Answers with something that is not HTTP at all, then closes. */
export function garbageStatusLine(): Behaviour {
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.end('HELLO THERE\r\n\r\n');
    });
  };
}

/** A valid, empty 200 response whose head carries one header of `bytes` bytes. */
export function oversizedHeaders(bytes = 64 * 1024): Behaviour {
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Huge: ${'a'.repeat(bytes)}\r\n\r\n`);
    });
  };
}

/** Sends 1xx interim responses (103 Early Hints by default) every `intervalMs`, never a final one. */
export function endlessInterim(code = 103, intervalMs = 200): Behaviour {
  const interim = `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Interim'}\r\n\r\n`;
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.write(interim);
      every(socket, intervalMs, () => socket.write(interim));
    });
  };
}

/** A valid 200 head announcing 1000 bytes, then one body byte every `intervalMs`. */
export function trickleBody(intervalMs = 1000): Behaviour {
  const length = 1000;
  return (socket) => {
    afterRequestHead(socket, () => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`);
      let sent = 0;
      every(socket, intervalMs, (stop) => {
        socket.write('a');
        sent += 1;
        if (sent >= length) stop();
      });
    });
  };
}
