/**
 * The last line of defence before a model is rendered: every string in it is passed through the same
 * redaction `check` applies to its output (util/redact.ts): `redactUrl` on the site's URL and on any
 * URL quoted inside a text (an error message or an incident cause), then the ${VAR} secrets masked
 * everywhere. The store already keeps redacted URLs and messages; this catches what a config rename, a
 * name, a group or an older database brings.
 */

import { createRedactor, redactUrl } from '../../util/redact.js';
import { mapStrings } from './escape.js';
import type { StatusModel } from './model.js';

const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

export function redactModel(model: StatusModel, secrets: readonly string[]): StatusModel {
  const redact = createRedactor(secrets);
  return mapStrings(model, (text) => redact(text.replace(URL_IN_TEXT, (url) => redactUrl(url))));
}
