/**
 * Chat markdown: the text renderer's lines, escaped and with bold headings in the chat's own dialect
 * (Slack mrkdwn in slack.ts, Discord markdown in discord.ts), within the chat's length limit.
 */

import type { Message } from '../message.js';
import { fitLines } from '../text.js';
import { itemLine } from './text.js';

export interface MarkdownDialect {
  bold(text: string): string;
  /** Escapes text so that it renders literally (and mentions nobody). */
  escape(text: string): string;
}

/** The message in at most `maxChars` characters. */
export function renderMarkdown(message: Message, dialect: MarkdownDialect, maxChars: number): string {
  const x = dialect.escape;
  const lines: string[] = [];
  if (message.note !== null) lines.push(x(`Note: ${message.note}`));
  lines.push(dialect.bold(x(`uptime-squirrel: ${message.title}`)));
  if (message.body !== undefined) {
    // The channel's template is markup of the chat's own; only the values in it are escaped.
    lines.push(...message.body(x).split('\n'));
    return fitLines(lines, maxChars);
  }
  if (message.intro !== null) lines.push(x(message.intro));
  for (const section of message.sections) {
    lines.push(dialect.bold(x(section.heading)));
    for (const item of section.items) lines.push(x(itemLine(item)));
  }
  return fitLines(lines, maxChars);
}
