/**
 * A message, as every channel receives it: a title, sections of one line per site, and the data behind
 * them for machines. Built by compose.ts from folded events (fold.ts); turned into an email, a chat post
 * or a push notification by the renderers in render/, so that a site reads the same everywhere.
 */

import type { SweepSummary, WatchEvent } from '../core/events.js';
import type { UptimeReport } from '../store/uptime-report.js';
import type { Counts, Entry } from './fold.js';

export interface Item {
  /** The site's name, or its URL when it has none; "the monitor" for monitor entries. */
  label: string;
  /** The site's URL (redacted); null when the label already is the URL, and for the monitor. */
  url: string | null;
  detail: string;
}

export interface Section {
  heading: string;
  items: Item[];
}

export type MessageData =
  | {
      kind: 'events';
      counts: Counts;
      entries: Entry[];
      /** The stored events, oldest first: the raw facts for machines. */
      events: WatchEvent[];
      sweeps: SweepSummary[];
    }
  | { kind: 'test'; channel: string; type: string }
  | { kind: 'summary'; report: UptimeReport };

export interface Message {
  kind: MessageData['kind'];
  /** Stable for the same content: an idempotency key for webhooks, the Message-ID of an email. */
  id: string;
  /** One line, no prefix: "3 down, 1 recovered". */
  title: string;
  intro: string | null;
  sections: Section[];
  /** A warning printed above everything else (a possible repeat after a crash). */
  note: string | null;
  /** When the message was built. */
  at: string;
  data: MessageData;
  /** Quiet hours held some of it back, since then (ISO time). */
  heldSince?: string;
  /**
   * The channel's own body (its `template.body`, notify/template.ts), in place of the sections: each
   * renderer calls it with its own escaping, so every value is escaped for the output's format.
   */
  body?: (escapeValue: (text: string) => string) => string;
}
