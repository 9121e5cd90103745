/**
 * The last line of defence before a model is rendered: every string in it is passed through the same
 * redaction `check` applies to its output (util/redact.ts), URLs through `redactUrl` first. The store
 * already keeps redacted URLs and messages; this catches what a config rename, a name or a group brings.
 */

import { createRedactor, redactUrl } from '../../util/redact.js';
import { mapStrings } from './escape.js';
import type { StatusModel } from './model.js';

export function redactModel(model: StatusModel, secrets: readonly string[]): StatusModel {
  const redact = createRedactor(secrets);
  const withUrls: StatusModel = {
    ...model,
    sites: model.sites.map((s) => ({ ...s, url: redactUrl(s.url) })),
  };
  return mapStrings(withUrls, redact);
}
