// What src/probe takes from undici, for the bundled CLI (scripts/build-dist.mjs): its dispatchers and
// errors without undici's index.js, which loads fetch, WebSocket, cookies, mocks and caches too, ~65 ms
// of every `check`'s start-up. The same files as the index's, so the classes are undici's own. A name
// the probe imports that is not exported here fails the build ("No matching export").
import api from 'undici/lib/api/index.js';
import buildConnector from 'undici/lib/core/connect.js';
import errors from 'undici/lib/core/errors.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Client from 'undici/lib/dispatcher/client.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';

// As undici's index does: request(), stream() and the rest on every dispatcher.
Object.assign(Dispatcher.prototype, api);

export { Agent, buildConnector, Client, Dispatcher, errors };
