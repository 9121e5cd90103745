import { parentPort } from 'node:worker_threads';
import pLimit from 'p-limit';
import { probe } from '../probe/probe.js';
import { openProbeContext } from './context.js';
import type { FromWorker, ToWorker } from './pool-protocol.js';

/**
 * A pool worker: a thread (parentPort) or a forked process (process.send). It runs the same probe
 * code as the async mode, with its share of the concurrency, over the batches it is handed.
 */

function send(msg: FromWorker, then?: () => void): void {
  if (parentPort) {
    parentPort.postMessage(msg);
    then?.();
  } else {
    process.send?.(msg, undefined, undefined, () => then?.());
  }
}

const controller = new AbortController();
let session: ReturnType<typeof openProbeContext> | null = null;
let limit = pLimit(1);

async function stop(): Promise<void> {
  controller.abort();
  limit.clearQueue();
  await session?.close();
  const cpu = process.cpuUsage();
  const usage: FromWorker = parentPort
    ? { type: 'stopped' }
    : {
        type: 'stopped',
        usage: {
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        },
      };
  send(usage, () => (parentPort ? parentPort.close() : process.disconnect?.()));
}

function onMessage(msg: ToWorker): void {
  if (msg.type === 'init') {
    // Options differing from the last sweep's (a kept pool, after a config reload): nothing is in flight
    // between sweeps, so the old context can go.
    void session?.close();
    session = openProbeContext({ ...msg.options, signal: controller.signal });
    limit = pLimit(msg.options.concurrency);
  } else if (msg.type === 'batch') {
    const ctx = session?.probeCtx;
    if (!ctx) throw new Error('batch before init');
    for (const { index, site } of msg.items) {
      limit(async () => {
        const result = await probe(site, ctx);
        send({ type: 'result', sweep: msg.sweep, index, result });
        // As in the async mode: read this turn's responses before opening new connections.
        await new Promise((resolve) => setImmediate(resolve));
      }).catch((err: { code?: string }) => {
        if (err?.code !== 'US_ERR_ABORTED') throw err;
      });
    }
  } else if (msg.type === 'stop') {
    void stop();
  }
}

if (parentPort) {
  parentPort.on('message', onMessage);
} else {
  process.on('message', (msg) => onMessage(msg as ToWorker));
  // Ctrl-C reaches the whole process group: the coordinator decides when workers stop.
  process.on('SIGINT', () => {});
  // The coordinator died without saying stop: do not linger as an orphan.
  process.on('disconnect', () => process.exit(0));
}
