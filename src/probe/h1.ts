/**
 * HTTP/1.1 on a connection of our own: one request written, its response read as it arrives. A check
 * needs the status line, a few headers and, for `expect`, a bounded body, so this is a small parser of
 * exactly that, with no stream objects, no per-request timers and no wasm: the request path that undici
 * spent about half of a check's CPU on (docs/BENCHMARKS.md). The connection is not reused (we send
 * `connection: close`); the caller destroys it once the verdict is known.
 *
 * Failures are plain errors with the codes classify.ts turns into verdicts: ECONNRESET for a connection
 * closed mid-response, HPE_* (name HTTPParserError, with the bytes as `data`) for something that is not
 * HTTP/1.1, UND_ERR_HEADERS_OVERFLOW for a head over MAX_HEADER_BYTES.
 */

import type { Socket } from 'node:net';
import { MAX_HEADER_BYTES } from './classify.js';

export interface H1Request {
  method: string;
  /** Origin form ("/path?q"), or absolute form through a proxy. */
  path: string;
  /** Lower-case names; `host` among them. */
  headers: Record<string, string>;
  body: string | null;
}

/** What the exchange reports; each returns false to stop reading (the verdict needs nothing more). */
export interface ResponseHandler {
  /** The final (non-1xx) response head, parsed at `at` (performance.now() of the read that completed it). */
  onHeaders(status: number, rawHeaders: string[], at: number): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: Error): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const LF = 0x0a;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: |$)/;
/** A request head must not carry a line break or NUL in a name or value (header injection). */
const UNSAFE = /[\r\n\0]/;
/** Longest chunk-size line (with extensions) accepted. */
const MAX_CHUNK_LINE = 4096;

/** Where the parser is in the response. */
const State = {
  Head: 0,
  Length: 1,
  ChunkSize: 2,
  ChunkData: 3,
  ChunkEnd: 4,
  Trailers: 5,
  UntilClose: 6,
  Done: 7,
} as const;
type State = (typeof State)[keyof typeof State];

function parserError(reason: string, data: Buffer): Error {
  return Object.assign(new Error(`Response does not match the HTTP/1.1 protocol (${reason})`), {
    name: 'HTTPParserError',
    code: 'HPE_INVALID_CONSTANT',
    data: data.subarray(0, 64).toString('latin1'),
  });
}

function closedError(): Error {
  return Object.assign(new Error('the connection closed before the response ended'), { code: 'ECONNRESET' });
}

/** The request head (and body) as bytes on the wire. */
export function encodeRequest(req: H1Request): string | Buffer {
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  for (const name in req.headers) {
    const value = req.headers[name] as string;
    if (UNSAFE.test(name) || UNSAFE.test(value)) {
      throw Object.assign(new Error(`invalid header ${JSON.stringify(name)}`), { code: 'ERR_INVALID_CHAR' });
    }
    head += `${name}: ${value}\r\n`;
  }
  if (req.body === null) return `${head}connection: close\r\n\r\n`;
  const body = Buffer.from(req.body, 'utf8');
  head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * Write `req` on `socket` and read the response into `handler`. Returns nothing: the handler hears
 * exactly one of onComplete or onError, unless it stopped the exchange by returning false.
 */
export function exchange(socket: Socket, req: H1Request, handler: ResponseHandler): void {
  new Exchange(socket, req.method === 'HEAD', handler).start(encodeRequest(req));
}

class Exchange {
  private state: State = State.Head;
  private pending: Buffer | null = null;
  private remaining = 0;
  private line = '';

  constructor(
    private readonly socket: Socket,
    private readonly head: boolean,
    private readonly handler: ResponseHandler,
  ) {}

  start(wire: string | Buffer): void {
    const s = this.socket;
    s.on('data', (chunk: Buffer) => this.read(chunk, performance.now()));
    s.on('end', () => this.ended());
    s.on('error', (err: Error) => this.fail(err));
    if (typeof wire === 'string') s.write(wire, 'latin1');
    else s.write(wire);
  }

  private stop(): void {
    this.state = State.Done;
    this.pending = null;
  }

  private fail(err: Error): void {
    if (this.state === State.Done) return;
    this.stop();
    this.handler.onError(err);
  }

  private complete(): void {
    this.stop();
    this.handler.onComplete();
  }

  private ended() {
    if (this.state === State.UntilClose) return this.complete();
    this.fail(closedError());
  }

  private read(chunk: Buffer, at: number) {
    if (this.state === State.Done) return;
    if (this.state === State.Head) return this.readHead(chunk, at);
    this.readBody(chunk);
  }

  private readHead(chunk: Buffer, at: number) {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    // Not HTTP/1.x from the first bytes (an h2c server's SETTINGS frame, a banner): no need to wait for more.
    const seen = Math.min(buf.length, 5);
    if (buf.toString('latin1', 0, seen) !== 'HTTP/'.slice(0, seen)) {
      return this.fail(parserError('no status line', buf));
    }
    const end = buf.indexOf(HEAD_END);
    if (end === -1) {
      if (buf.length > MAX_HEADER_BYTES) return this.fail(overflow());
      this.pending = buf;
      return;
    }
    this.pending = null;
    if (end > MAX_HEADER_BYTES) return this.fail(overflow());
    const lines = buf.toString('latin1', 0, end).split('\r\n');
    const status = STATUS_LINE.exec(lines[0] as string);
    if (status === null) return this.fail(parserError('invalid status line', buf));
    const code = Number(status[1]);
    const raw: string[] = [];
    let length = -1;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const first = line.charCodeAt(0);
      if (first === 32 || first === 9) {
        // An obsolete folded line continues the previous value.
        if (raw.length === 0) return this.fail(parserError('folded first header', buf));
        raw[raw.length - 1] += ` ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) return this.fail(parserError('invalid header line', buf));
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      raw.push(name, value);
      const lower = name.length === 14 || name.length === 17 ? name.toLowerCase() : '';
      if (lower === 'content-length') {
        const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
        if (Number.isNaN(n) || (length !== -1 && length !== n)) {
          return this.fail(parserError('invalid content-length', buf));
        }
        length = n;
      } else if (lower === 'transfer-encoding') {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      }
    }
    const rest = buf.subarray(end + 4);
    // Interim responses (100 Continue, 103 Early Hints) carry no verdict: read on to the final one.
    if (code < 200) {
      if (rest.length > 0) this.readHead(rest, at);
      return;
    }
    if (!this.handler.onHeaders(code, raw, at)) return this.stop();
    if (this.state === State.Done) return;
    if (this.head || code === 204 || code === 304) return this.complete();
    if (chunked) this.state = State.ChunkSize;
    else if (length >= 0) {
      if (length === 0) return this.complete();
      this.state = State.Length;
      this.remaining = length;
    } else this.state = State.UntilClose;
    if (rest.length > 0) this.readBody(rest);
  }

  private deliver(data: Buffer): boolean {
    if (data.length === 0) return true;
    if (this.handler.onData(data)) return this.state !== State.Done;
    this.stop();
    return false;
  }

  private readBody(chunk: Buffer) {
    let buf = chunk;
    while (buf.length > 0 && this.state !== State.Done) {
      switch (this.state) {
        case State.UntilClose:
          this.deliver(buf);
          return;
        case State.Length: {
          const take = Math.min(this.remaining, buf.length);
          this.remaining -= take;
          if (!this.deliver(buf.subarray(0, take))) return;
          if (this.remaining === 0) return this.complete();
          return;
        }
        case State.ChunkSize:
        case State.Trailers: {
          // A line may be split anywhere across reads, its CR and LF too.
          const eol = buf.indexOf(LF);
          const part = buf.toString('latin1', 0, eol === -1 ? buf.length : eol);
          if (this.line.length + part.length > MAX_CHUNK_LINE) {
            return this.fail(parserError('chunk line too long', buf));
          }
          if (eol === -1) {
            this.line += part;
            return;
          }
          const line = (this.line + part).replace(/\r$/, '');
          this.line = '';
          buf = buf.subarray(eol + 1);
          if (this.state === State.Trailers) {
            if (line === '') return this.complete();
            continue;
          }
          const size = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(line);
          if (size === null) return this.fail(parserError('invalid chunk size', buf));
          this.remaining = Number.parseInt(size[1] as string, 16);
          this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, buf.length);
          this.remaining -= take;
          if (!this.deliver(buf.subarray(0, take))) return;
          buf = buf.subarray(take);
          if (this.remaining === 0) {
            this.state = State.ChunkEnd;
            this.remaining = 2;
          }
          break;
        }
        case State.ChunkEnd: {
          // The CRLF after a chunk's data, possibly split across reads.
          const take = Math.min(this.remaining, buf.length);
          this.remaining -= take;
          buf = buf.subarray(take);
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        default:
          return;
      }
    }
  }
}

function overflow(): Error {
  return Object.assign(new Error('response headers too large'), { code: 'UND_ERR_HEADERS_OVERFLOW' });
}
