import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4 } from 'node:net';

export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:PORT`, ready for `Resolver#setServers([server])`. */
  server: string;
  /** Names asked about, lower-cased and without the trailing dot, in order of arrival. */
  queries: string[];
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_ANY = 255;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const HEADER_BYTES = 12;

interface Question {
  name: string;
  type: number;
  /** The question section exactly as received, echoed in the answer (keeps 0x20 case mixing intact). */
  raw: Buffer;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Reads the single question of a query, or returns undefined if it is malformed. */
function parseQuestion(msg: Buffer): Question | undefined {
  const labels: string[] = [];
  let offset = HEADER_BYTES;
  for (;;) {
    const length = msg[offset];
    if (length === undefined) return undefined;
    offset += 1;
    if (length === 0) break;
    // Compression pointers (top bits set) never appear in the question of a query.
    if (length > 63 || offset + length > msg.length) return undefined;
    labels.push(msg.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > msg.length) return undefined;
  const type = msg.readUInt16BE(offset);
  return { name: normalise(labels.join('.')), type, raw: msg.subarray(HEADER_BYTES, offset + 4) };
}

function header(id: number, queryFlags: number, rcode: number, questions: number, answers: number): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  out.writeUInt16BE(id, 0);
  const opcode = queryFlags & 0x7800;
  const recursionDesired = queryFlags & 0x0100;
  // QR (response) | opcode | AA (authoritative) | RD as asked | RA | rcode
  out.writeUInt16BE(0x8000 | opcode | 0x0400 | recursionDesired | 0x0080 | rcode, 2);
  out.writeUInt16BE(questions, 4);
  out.writeUInt16BE(answers, 6);
  return out;
}

function aRecord(ip: string): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt16BE(0xc000 | HEADER_BYTES, 0); // name: pointer to the question's name
  out.writeUInt16BE(TYPE_A, 2);
  out.writeUInt16BE(1, 4); // class IN
  out.writeUInt32BE(60, 6); // TTL
  out.writeUInt16BE(4, 10);
  ip.split('.').forEach((octet, i) => {
    out.writeUInt8(Number(octet), 12 + i);
  });
  return out;
}

function answer(msg: Buffer, records: Map<string, string>, queries: string[]): Buffer | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  if (flags & 0x7800) return header(id, flags, RCODE_NOTIMP, 0, 0);
  const question = msg.readUInt16BE(4) === 1 ? parseQuestion(msg) : undefined;
  if (!question) return header(id, flags, RCODE_FORMERR, 0, 0);
  queries.push(question.name);
  const ip = records.get(question.name);
  if (ip === undefined) return Buffer.concat([header(id, flags, RCODE_NXDOMAIN, 1, 0), question.raw]);
  // Known names have no AAAA (or other) records: an empty NOERROR, not NXDOMAIN.
  if (question.type !== TYPE_A && question.type !== TYPE_ANY) {
    return Buffer.concat([header(id, flags, 0, 1, 0), question.raw]);
  }
  return Buffer.concat([header(id, flags, 0, 1, 1), question.raw, aRecord(ip)]);
}

/**
 * An authoritative DNS server over UDP on 127.0.0.1 and an ephemeral port: A records for
 * `records` (names are case-insensitive), NXDOMAIN for any other name.
 */
export async function startDnsServer(
  records: Record<string, string>,
  opts: { delayMs?: number } = {},
): Promise<TestDnsServer> {
  const table = new Map<string, string>();
  for (const [name, ip] of Object.entries(records)) {
    if (!isIPv4(ip)) throw new Error(`startDnsServer: ${name} -> ${ip} is not an IPv4 address`);
    table.set(normalise(name), ip);
  }
  const queries: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const socket = createSocket('udp4');

  const reply = (out: Buffer, to: RemoteInfo): void => {
    // A send failing (e.g. the client went away) is the client's problem, not the test's.
    if (!closed) socket.send(out, to.port, to.address, () => {});
  };
  socket.on('message', (msg, from) => {
    const out = answer(msg, table, queries);
    if (!out) return;
    if (!opts.delayMs) {
      reply(out, from);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply(out, from);
    }, opts.delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: '127.0.0.1', port: 0 }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => {});
  const { port } = socket.address();

  let closing: Promise<void> | undefined;
  return {
    port,
    server: `127.0.0.1:${port}`,
    queries,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        socket.close(() => resolve());
      });
      return closing;
    },
  };
}
