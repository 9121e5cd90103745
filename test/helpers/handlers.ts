import type { Handler } from './http-server.js';

/** Answers every request with `code` and a short text body. */
export function status(code: number): Handler {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(`${code}\n`);
  };
}

/** HEAD gets `code` (405 by default, like servers that refuse HEAD); any other method gets 200 and a body. */
export function headRefused(code = 405): Handler {
  return (req, res) => {
    if (req.method === 'HEAD') {
      res.writeHead(code, { allow: 'GET' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  };
}

export function redirect(to: string, code = 302): Handler {
  return (_req, res) => {
    res.writeHead(code, { location: to });
    res.end();
  };
}

/** Waits `ms` before handing over to `then`; gives up if the client or the server closes first. */
export function delay(ms: number, then: Handler = status(200)): Handler {
  return (req, res) => {
    const timer = setTimeout(() => then(req, res), ms);
    res.once('close', () => clearTimeout(timer));
  };
}

/** A 200 with a body of exactly `bytes` bytes, written in chunks with backpressure. */
export function bigBody(bytes: number): Handler {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes) });
    let left = bytes;
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}
