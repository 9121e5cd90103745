/**
 * A text message: one short line per sweep that fits in at most two SMS segments, naming sites by name
 * and saying how many more there are, never cutting a word. The full detail goes to the other channels.
 *
 * An SMS carries 140 bytes: 160 characters of the GSM 03.38 7-bit alphabet (the characters of its
 * extension table, such as `€[]{}`, take two), or 70 UTF-16 code units (UCS-2) as soon as one character is
 * outside it. A longer text is split into segments that each lose room to the concatenation header: 153
 * septets or 67 code units, and a two-septet character or a surrogate pair is never split between two.
 */

import type { Entry, EntryKind } from '../fold.js';
import type { Message } from '../message.js';

/** The GSM 03.38 default alphabet (one septet each), without the escape (0x1B) that starts the extension. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** The extension table: each is sent as the escape plus one septet. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** Whether every character of `text` is in the GSM 7-bit alphabet (its extension table included). */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return false;
  return true;
}

/** The sizes of the characters in order: septets, or UTF-16 code units (2 for a surrogate pair). */
function unitSizes(text: string, encoding: SmsEncoding): number[] {
  const sizes: number[] = [];
  for (const char of text) {
    sizes.push(encoding === 'GSM-7' ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length);
  }
  return sizes;
}

/** How `text` travels: its encoding, its length in that encoding's units, and how many segments it takes. */
export function smsSize(text: string): SmsSize {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const sizes = unitSizes(text, encoding);
  const units = sizes.reduce((sum, n) => sum + n, 0);
  const [single, part] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  // Filled one by one: a character that does not fit whole in a segment starts the next.
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}

export const SMS_MAX_SEGMENTS = 2;

const fits = (text: string, maxSegments: number) => smsSize(text).segments <= maxSegments;

/** `https://api.example.com/` -> `api.example.com`: a site without a name is named by its URL, shortly. */
function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

interface Group {
  /** "down", "recovered", "monitor offline": what the count is followed by. */
  word: string;
  names: string[];
  /** How many of `names` the message shows. */
  shown: number;
  /** Whether this group takes names at all (the monitor's groups do not). */
  named: boolean;
}

const GROUPS: { kind: EntryKind; word: string }[] = [
  { kind: 'monitor-offline', word: 'monitor offline' },
  { kind: 'monitor-online', word: 'monitor back online' },
  { kind: 'down', word: 'down' },
  { kind: 'recovered', word: 'recovered' },
  { kind: 'still-down', word: 'still down' },
  { kind: 'degraded', word: 'slow' },
  { kind: 'fast-again', word: 'fast again' },
  { kind: 'cert-expiring', word: 'certificate expiring' },
  { kind: 'cert-renewed', word: 'certificate renewed' },
];

function groupText(group: Group): string {
  if (!group.named) {
    return group.word === 'monitor offline' ? 'monitor offline, site alerts held' : group.word;
  }
  const head = `${group.names.length} ${group.word}`;
  if (group.shown === 0) return head;
  const listed = group.names.slice(0, group.shown).join(', ');
  const rest = group.names.length - group.shown;
  return `${head}: ${listed}${rest > 0 ? ` and ${rest} more` : ''}`;
}

function eventsText(groups: readonly Group[], note: boolean): string {
  const body = groups.map(groupText).join('. ');
  return `uptime-squirrel: ${body}${note ? ' (may repeat an earlier text)' : ''}`;
}

/**
 * Names shown in turns, one more per group each round, so that a storm of "down" leaves room to name
 * what recovered; a group whose next name does not fit shows no more (a later, shorter name would read
 * as if the list were in another order).
 */
function fitEvents(entries: readonly Entry[], note: boolean, maxSegments: number): string {
  const groups: Group[] = [];
  for (const { kind, word } of GROUPS) {
    const of = entries.filter((e) => e.kind === kind);
    if (of.length === 0) continue;
    const names = of.flatMap((e) => (e.site === null ? [] : [e.site.name ?? shortUrl(e.site.url)]));
    groups.push({ word, names, shown: 0, named: !kind.startsWith('monitor') });
  }
  if (groups.length === 0) return 'uptime-squirrel: no changes';
  const skeleton = eventsText(groups, note);
  if (!fits(skeleton, maxSegments)) return fitWords(skeleton, maxSegments);
  const open = new Set(groups.filter((g) => g.named && g.names.length > 0));
  while (open.size > 0) {
    for (const group of [...open]) {
      group.shown++;
      if (!fits(eventsText(groups, note), maxSegments)) {
        group.shown--;
        open.delete(group);
      } else if (group.shown === group.names.length) {
        open.delete(group);
      }
    }
  }
  return eventsText(groups, note);
}

/**
 * The longest run of whole words of `text` that fits, with "..." when words were left out; a single
 * word longer than everything is the only thing cut, at a character.
 */
export function fitWords(text: string, maxSegments: number = SMS_MAX_SEGMENTS): string {
  if (fits(text, maxSegments)) return text;
  const words = text.split(' ');
  let kept = '';
  for (const word of words) {
    const next = kept === '' ? word : `${kept} ${word}`;
    if (!fits(`${next}...`, maxSegments)) break;
    kept = next;
  }
  if (kept !== '') return `${kept.replace(/[,.;:]$/, '')}...`;
  // One word longer than two segments (a URL, say): better cut than nothing.
  let cut = '';
  for (const char of text) {
    if (!fits(`${cut}${char}...`, maxSegments)) break;
    cut += char;
  }
  return `${cut}...`;
}

/** The message as one text of at most `maxSegments` segments. */
export function renderSms(message: Message, maxSegments: number = SMS_MAX_SEGMENTS): string {
  // The channel's own body (its template), plain text, in whole words.
  if (message.body !== undefined)
    return fitWords(
      message.body((text) => text),
      maxSegments,
    );
  if (message.data.kind === 'events') {
    return fitEvents(message.data.entries, message.note !== null, maxSegments);
  }
  // A test says only that it arrived; a summary gives its title and as much of the rest as fits.
  const rest =
    message.kind === 'test' ? ' If you can read it, the channel works.' : ` ${message.intro ?? ''}`;
  return fitWords(`uptime-squirrel: ${message.title}.${rest}`.trimEnd(), maxSegments);
}
