/** `status.json`: the model the page is drawn from, as one JSON document (schema in the README). */

import { safeJson } from './escape.js';
import type { StatusModel } from './model.js';

export function renderStatusJson(model: StatusModel): string {
  return `${safeJson(model, 2)}\n`;
}
