/** HTML for the email's HTML part: every text escaped, no link, no image, nothing fetched. */

import type { Message } from '../message.js';
import { escapeHtml } from '../text.js';

export function renderHtml(message: Message): string {
  const e = escapeHtml;
  const parts = ['<!doctype html><html><body style="font-family: sans-serif">'];
  if (message.note !== null) parts.push(`<p><strong>Note:</strong> ${e(message.note)}</p>`);
  parts.push(`<h2>uptime-squirrel: ${e(message.title)}</h2>`);
  if (message.body !== undefined) {
    // The channel's template is HTML of its own; only the values in it are escaped.
    parts.push(`<div style="white-space: pre-wrap">${message.body(e)}</div>`, '</body></html>');
    return parts.join('\n');
  }
  if (message.intro !== null) parts.push(`<p>${e(message.intro)}</p>`);
  for (const section of message.sections) {
    parts.push(`<h3>${e(section.heading)}</h3><ul>`);
    for (const item of section.items) {
      const url = item.url === null ? '' : ` <code>${e(item.url)}</code>`;
      parts.push(`<li><strong>${e(item.label)}</strong>${url}: ${e(item.detail)}</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
