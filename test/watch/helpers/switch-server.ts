import type { IncomingMessage } from 'node:http';
import { startHttpServer, type TestHttpServer } from '../../helpers/http-server.js';

/** What the server does with the next requests: answer with a status, later, or never. */
export type Behaviour = number | 'hang' | { status: number; delayMs: number };

export interface SwitchServer extends TestHttpServer {
  /** Changes the answer of every later request. */
  set(behaviour: Behaviour): void;
  /** Resolves on the next request that arrives (before it is answered). */
  nextRequest(): Promise<IncomingMessage>;
}

/** A local site whose behaviour the test changes over time: up, down (5xx), or hanging. */
export async function startSwitchServer(initial: Behaviour = 200): Promise<SwitchServer> {
  let behaviour = initial;
  let waiters: ((req: IncomingMessage) => void)[] = [];
  const server = await startHttpServer((req, res) => {
    const waiting = waiters;
    waiters = [];
    for (const resolve of waiting) resolve(req);
    const now = behaviour;
    if (now === 'hang') return;
    const [status, delayMs] = typeof now === 'number' ? [now, 0] : [now.status, now.delayMs];
    const answer = () => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`${status}\n`);
    };
    if (delayMs === 0) return answer();
    const timer = setTimeout(answer, delayMs);
    res.once('close', () => clearTimeout(timer));
  });
  return {
    ...server,
    set(next) {
      behaviour = next;
    },
    nextRequest() {
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
