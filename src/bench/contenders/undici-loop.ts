import { Agent, request } from 'undici';
import { loopArgs, runLoop } from './loop.js';

/** undici out of the box: `undici.request(url, { method: 'HEAD' })` through a default `Agent`. */
const args = loopArgs();
const dispatcher = new Agent();

await runLoop(args, async (url) => {
  const t0 = performance.now();
  try {
    const res = await request(url, {
      method: 'HEAD',
      dispatcher,
      headersTimeout: args.timeoutMs,
      bodyTimeout: args.timeoutMs,
    });
    const ms = performance.now() - t0;
    await res.body.dump();
    return { ok: res.statusCode < 400, ms };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
});
await dispatcher.close();
