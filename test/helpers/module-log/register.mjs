// `node --import ./register.mjs` (or NODE_OPTIONS=--import=...): records the URL of every module the
// process resolves, one per line, in the file named by US_MODULE_LOG. Tests read it to see what a command
// loaded (test/cli/startup.test.ts).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url), { data: { log: process.env.US_MODULE_LOG } });
