import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { type TlsFixtureName, tlsFixture } from './tls.js';

/** What the server answers to the next DATA: accept (250), or an error reply with this code. */
export type SmtpReply = 250 | { code: number; message?: string };

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  /** The message as it came, headers and body. */
  raw: string;
  /** Header values by lower-case name (unfolded, not decoded), every occurrence. */
  headers: Map<string, string[]>;
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded. */
  html: string;
  /** The session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** The user that logged in; null without a login. */
  user: string | null;
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://user:pass@127.0.0.1:PORT` (or smtps://), with the server's credentials unless given others. */
  url(credentials?: { user: string; pass: string } | null): string;
  /** Accepted messages, in order. */
  messages: ReceivedMail[];
  /** Every DATA the server saw, accepted or not. */
  readonly attempts: number;
  /** Logins tried, and how many failed. */
  readonly logins: { tried: number; failed: number };
  /** Answers for the next DATA commands, in order; then 250 again. */
  script(...replies: SmtpReply[]): void;
  /** Forgets the answers not used yet: 250 from now on. */
  clearScript(): void;
  /** Resolves when `n` messages have been accepted. */
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** Require this login (PLAIN/LOGIN); without it, no login is asked for. */
  auth?: { user: string; pass: string };
  /** 'starttls': offer STARTTLS with the certificate; 'implicit': TLS from the first byte (smtps). */
  tls?: { mode: 'starttls' | 'implicit'; cert: TlsFixtureName };
  /** Listen on this port (to bring a server back where a stopped one was); 0 by default. */
  port?: number;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i] as string;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHead(part: string): { head: Map<string, string[]>; body: string } {
  const end = part.indexOf('\r\n\r\n');
  const headText = end === -1 ? part : part.slice(0, end);
  const body = end === -1 ? '' : part.slice(end + 4);
  const head = new Map<string, string[]>();
  for (const line of headText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    head.set(name, [...(head.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { head, body };
}

function decodeBody(head: Map<string, string[]>, body: string): string {
  const encoding = (head.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Enough MIME for nodemailer's messages: a single part or one multipart/alternative level. */
export function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const { head, body } = splitHead(raw);
  const type = head.get('content-type')?.[0] ?? 'text/plain';
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts =
    boundary === undefined
      ? [{ head, body }]
      : body
          .split(`--${boundary}`)
          .slice(1, -1)
          .map((p) => splitHead(p.replace(/^\r\n/, '')));
  for (const part of parts) {
    const partType = part.head.get('content-type')?.[0] ?? 'text/plain';
    if (partType.startsWith('text/plain')) text = decodeBody(part.head, part.body);
    else if (partType.startsWith('text/html')) html = decodeBody(part.head, part.body);
  }
  return { headers: head, subject: head.get('subject')?.[0] ?? '', text, html };
}

/** A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps what it accepts. */
export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const replies: SmtpReply[] = [];
  const logins = { tried: 0, failed: 0 };
  let attempts = 0;
  let waiters: (() => void)[] = [];
  const implicit = opts.tls?.mode === 'implicit';
  const options: SMTPServerOptions = {
    secure: implicit,
    ...(opts.tls === undefined ? {} : tlsFixture(opts.tls.cert)),
    disabledCommands: opts.tls === undefined ? ['STARTTLS'] : [],
    authOptional: opts.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    // close() otherwise waits up to 30 s for clients to say QUIT.
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      logins.tried++;
      if (opts.auth !== undefined && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        callback(null, { user: auth.username });
        return;
      }
      logins.failed++;
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts++;
        const reply = replies.shift() ?? 250;
        if (reply !== 250) {
          const error = new Error(reply.message ?? `scripted reply ${reply.code}`);
          callback(Object.assign(error, { responseCode: reply.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMail(raw),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        const waiting = waiters;
        waiters = [];
        for (const wake of waiting) wake();
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
  let closing: Promise<void> | null = null;
  return {
    port,
    url(credentials) {
      const login = credentials === undefined ? opts.auth : credentials;
      const userinfo =
        login === null || login === undefined
          ? ''
          : `${encodeURIComponent(login.user)}:${encodeURIComponent(login.pass)}@`;
      return `${implicit ? 'smtps' : 'smtp'}://${userinfo}127.0.0.1:${port}`;
    },
    messages,
    get attempts() {
      return attempts;
    },
    logins,
    script(...next) {
      replies.push(...next);
    },
    clearScript() {
      replies.length = 0;
    },
    async waitForMessages(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline)
          throw new Error(`${messages.length} of ${n} messages within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 50);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages;
    },
    close() {
      // smtp-server's close waits for clients to quit (up to closeTimeout); ours are short-lived.
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}
