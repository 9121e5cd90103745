/**
 * One model, rendered once: the page, `status.json` and the badges the server hands out until the next
 * sweep replaces the model. Rendering is lazy and kept, so a flood of requests costs a lookup each.
 */

import type { Rendered } from '../http/routes.js';
import { type BadgeType, siteBadge } from './badge.js';
import { renderStatusPage } from './html.js';
import { renderStatusJson } from './json.js';
import type { StatusModel } from './model.js';
import { redactModel } from './redact.js';

export function renderStatus(unsafe: StatusModel, secrets: readonly string[]): Rendered {
  const model = redactModel(unsafe, secrets);
  let html: string | undefined;
  let json: string | undefined;
  const badges = new Map<string, string>();
  const byId = new Map(model.sites.map((s) => [s.id, s]));
  return {
    model,
    get html() {
      html ??= renderStatusPage(model);
      return html;
    },
    get json() {
      json ??= renderStatusJson(model);
      return json;
    },
    badge(id: string, type: BadgeType) {
      const site = byId.get(id);
      if (site === undefined) return null;
      const key = `${type}:${id}`;
      let svg = badges.get(key);
      if (svg === undefined) {
        svg = siteBadge(site, type);
        badges.set(key, svg);
      }
      return svg;
    },
  };
}
