/**
 * The response as the assertions see it: its headers, and its body read while it arrives. Whatever the
 * server sends, at most `cap` bytes are kept: the raw bytes and, once gzip, deflate or br is undone as the
 * chunks come (node:zlib streams), the decoded ones too, so neither an endless body nor a small one that
 * inflates to gigabytes can grow memory past the cap. The request's own deadline (send.ts) bounds the time;
 * `finish` waits for the decoder within it. The text is decoded by the charset the server names.
 */

import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';

/** Lower-case header name -> its value; repeated headers joined with ", ". */
export type ResponseHeaders = Map<string, string>;

export function headerMap(raw: ReadonlyArray<Buffer | string>): ResponseHeaders {
  const headers: ResponseHeaders = new Map();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return headers;
}

/** What the body turned out to be. */
export type BodyOutcome =
  | { ok: true; text: string; bytes: number }
  | { ok: false; kind: 'assertion' | 'timeout'; message: string };

/** "1 MiB", "64 KiB", "1,500 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}

/** A zlib header (RFC 1950): compression method 8, and the first two bytes a multiple of 31. */
function zlibWrapped(first: Buffer): boolean {
  const [cmf = 0, flg = 0] = first;
  return first.length >= 2 && (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}

const DECODERS: Record<string, (first: Buffer) => Transform> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  // "deflate" is meant to be zlib-wrapped, but some servers send it raw: the first two bytes tell (RFC 1950).
  deflate: (first) => (zlibWrapped(first) ? zlib.createInflate() : zlib.createInflateRaw()),
};

/** The media type's charset, for TextDecoder; utf-8 when none is named or it is one TextDecoder does not know. */
function decoderFor(contentType: string | undefined): TextDecoder {
  const label = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (label !== undefined) {
    try {
      return new TextDecoder(label);
    } catch {
      // An unknown label: read it as UTF-8 rather than fail the check over a name.
    }
  }
  return new TextDecoder('utf-8');
}

/** Reads one response body for the assertions; created by the probe once the response head is in. */
export class BodyReader {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private rawBytes = 0;
  private readonly encodings: string[];
  private chain: Transform[] | null = null;
  private problem: string | null = null;
  private over: 'raw' | 'decoded' | null = null;
  private ended: Promise<void> | null = null;

  constructor(
    readonly headers: ResponseHeaders,
    readonly cap: number,
  ) {
    const coding = headers.get('content-encoding') ?? '';
    // Applied in the order listed, so undone in reverse.
    this.encodings = coding
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '' && c !== 'identity')
      .reverse();
    const unknown = this.encodings.find((c) => DECODERS[c] === undefined);
    if (unknown !== undefined) {
      this.problem = `the body is encoded with "${unknown.slice(0, 40)}", which uptime-squirrel cannot decode (gzip, deflate and br it can)`;
    }
  }

  /** One chunk as it arrives. false: stop reading, the verdict does not need more (over the cap, undecodable). */
  push(chunk: Buffer): boolean {
    if (this.problem !== null || this.over !== null) return false;
    this.rawBytes += chunk.length;
    if (this.rawBytes > this.cap) {
      this.over = 'raw';
      this.stopDecoding();
      return false;
    }
    if (this.encodings.length === 0) this.keep(chunk);
    else this.decoders(chunk)[0]?.write(chunk);
    return this.problem === null && this.over === null;
  }

  private keep(chunk: Buffer): void {
    if (this.over !== null) return;
    if (this.keptBytes + chunk.length > this.cap) {
      this.over = this.encodings.length === 0 ? 'raw' : 'decoded';
      this.stopDecoding();
      return;
    }
    this.kept.push(chunk);
    this.keptBytes += chunk.length;
  }

  private decoders(first: Buffer): Transform[] {
    if (this.chain !== null) return this.chain;
    const chain = this.encodings.map((c, i) =>
      (DECODERS[c] as (b: Buffer) => Transform)(i === 0 ? first : Buffer.of(0x78, 0x9c)),
    );
    for (let i = 0; i + 1 < chain.length; i++) (chain[i] as Transform).pipe(chain[i + 1] as Transform);
    const last = chain[chain.length - 1] as Transform;
    last.on('data', (data: Buffer) => this.keep(data));
    this.ended = new Promise<void>((resolve) => {
      last.once('end', resolve);
      last.once('close', resolve);
      for (const [i, stream] of chain.entries()) {
        stream.once('error', (error: Error) => {
          this.problem ??= `the body could not be decompressed (${this.encodings[i]}): ${error.message}`;
          this.stopDecoding();
          resolve();
        });
      }
    });
    this.chain = chain;
    return chain;
  }

  private stopDecoding(): void {
    for (const stream of this.chain ?? []) stream.destroy();
  }

  /** The body once the response is complete (or reading stopped), decoded; waits for the decoder until `deadline`. */
  async finish(deadline: number): Promise<BodyOutcome> {
    if (this.chain !== null && this.problem === null && this.over === null) {
      this.chain[0]?.end();
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        (this.ended as Promise<void>).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now()));
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        this.stopDecoding();
        return {
          ok: false,
          kind: 'timeout',
          message: 'the body was still being decompressed when the time ran out',
        };
      }
    }
    if (this.problem !== null) return { ok: false, kind: 'assertion', message: this.problem };
    if (this.over !== null) {
      const how = this.over === 'decoded' ? ` once decompressed (${this.encodings.join(', ')})` : '';
      return {
        ok: false,
        kind: 'assertion',
        message: `the body is over ${formatBytes(this.cap)}${how}, the most read for the assertions (maxBodyBytes): reading stopped there`,
      };
    }
    const bytes = Buffer.concat(this.kept, this.keptBytes);
    return {
      ok: true,
      text: decoderFor(this.headers.get('content-type')).decode(bytes),
      bytes: this.keptBytes,
    };
  }
}
