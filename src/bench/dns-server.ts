import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, isIPv4 } from 'node:net';

/**
 * A small authoritative DNS server over UDP on 127.0.0.1, for the tests and the "names at scale"
 * benchmark: A and AAAA records with a TTL, an optional delay before each answer, records that can
 * change (or go) while it runs, and a count of the queries it held at once.
 */

export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:PORT`, for `--dns-server` or `Resolver#setServers([server])`. */
  server: string;
  /** Names asked about, lower-cased and without the trailing dot, in order of arrival. */
  queries: string[];
  /** The most queries received and not yet answered at one time (with a delay, how many were asked at once). */
  readonly peakOutstanding: number;
  /** Give `name` these addresses from now on; null: the name no longer exists (NXDOMAIN). */
  set(name: string, value: string | readonly string[] | null): void;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  /** Wait this long before each answer (a slow resolver). */
  delayMs?: number;
  /** The TTL of every record, in seconds (default 60). */
  ttlS?: number;
  /** The UDP port on 127.0.0.1 (default: any free one); 53 for a resolver configuration (root). */
  port?: number;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;
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

/** The 16 bytes of an IPv6 address ("::1", "2001:db8::7"). */
function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  all.forEach((group, i) => {
    out.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  });
  return out;
}

function addressRecord(ip: string, ttlS: number): Buffer {
  const data = isIPv4(ip) ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip);
  const out = Buffer.alloc(12);
  out.writeUInt16BE(0xc000 | HEADER_BYTES, 0); // name: pointer to the question's name
  out.writeUInt16BE(isIPv4(ip) ? TYPE_A : TYPE_AAAA, 2);
  out.writeUInt16BE(1, 4); // class IN
  out.writeUInt32BE(ttlS, 6);
  out.writeUInt16BE(data.length, 10);
  return Buffer.concat([out, data]);
}

function answer(
  msg: Buffer,
  records: Map<string, string[]>,
  queries: string[],
  ttlS: number,
): Buffer | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  if (flags & 0x7800) return header(id, flags, RCODE_NOTIMP, 0, 0);
  const question = msg.readUInt16BE(4) === 1 ? parseQuestion(msg) : undefined;
  if (!question) return header(id, flags, RCODE_FORMERR, 0, 0);
  queries.push(question.name);
  const ips = records.get(question.name);
  if (ips === undefined) return Buffer.concat([header(id, flags, RCODE_NXDOMAIN, 1, 0), question.raw]);
  // A known name without records of the type asked: an empty NOERROR (ENODATA), not NXDOMAIN.
  const matching = ips.filter(
    (ip) =>
      question.type === TYPE_ANY ||
      (question.type === TYPE_A && isIPv4(ip)) ||
      (question.type === TYPE_AAAA && !isIPv4(ip)),
  );
  return Buffer.concat([
    header(id, flags, 0, 1, matching.length),
    question.raw,
    ...matching.map((ip) => addressRecord(ip, ttlS)),
  ]);
}

/**
 * An authoritative DNS server over UDP on 127.0.0.1 and an ephemeral port: A and AAAA records for
 * `records` (an address or a list of them per name; names are case-insensitive), NXDOMAIN for any
 * other name.
 */
export async function startDnsServer(
  records: Record<string, string | readonly string[]>,
  opts: DnsServerOptions = {},
): Promise<TestDnsServer> {
  const table = new Map<string, string[]>();
  const set = (name: string, value: string | readonly string[] | null) => {
    if (value === null) return void table.delete(normalise(name));
    const ips = typeof value === 'string' ? [value] : [...value];
    for (const ip of ips) {
      if (isIP(ip) === 0) throw new Error(`startDnsServer: ${name} -> ${ip} is not an IP address`);
    }
    table.set(normalise(name), ips);
  };
  for (const [name, value] of Object.entries(records)) set(name, value);
  const ttlS = opts.ttlS ?? 60;
  const queries: string[] = [];
  let outstanding = 0;
  let peakOutstanding = 0;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const socket = createSocket('udp4');

  const reply = (out: Buffer, to: RemoteInfo): void => {
    // A send failing (e.g. the client went away) is the client's problem, not the test's.
    if (!closed) socket.send(out, to.port, to.address, () => {});
  };
  socket.on('message', (msg, from) => {
    const out = answer(msg, table, queries, ttlS);
    if (!out) return;
    if (!opts.delayMs) {
      reply(out, from);
      return;
    }
    outstanding++;
    peakOutstanding = Math.max(peakOutstanding, outstanding);
    const timer = setTimeout(() => {
      timers.delete(timer);
      outstanding--;
      reply(out, from);
    }, opts.delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: '127.0.0.1', port: opts.port ?? 0 }, () => {
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
    get peakOutstanding() {
      return peakOutstanding;
    },
    set,
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
