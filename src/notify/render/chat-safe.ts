/**
 * Chat text made safe and kept within a service's limits.
 *
 * Text for chats whose markup has no escape that works for everything (Mattermost, Rocket.Chat, Google
 * Chat): what would notify people or make a link is broken with an invisible U+2060 WORD JOINER, so a
 * site name or a server's error text reads the same but can neither ping a room ("@channel", "@all",
 * "<users/all>", Slack-style "<!channel>") nor pass as a link ("<https://x|text>", "[text](url)").
 */

const JOINER = '\u2060';

export function defuseMentions(text: string): string {
  return text
    .replace(/@(?=\w)/g, `@${JOINER}`)
    .replace(/</g, `<${JOINER}`)
    .replace(/\]\(/g, `]${JOINER}(`);
}

/** Whether the message is about something being wrong: pushes it louder, chats colour it. */
export function isAlarming(
  counts: { down: number; stillDown: number; monitorOffline: number } | null,
): boolean {
  return counts !== null && counts.down + counts.stillDown + counts.monitorOffline > 0;
}

/**
 * What `render` gives for the largest budget in characters whose result fits in `maxBytes` of UTF-8:
 * characters first (cheap), then smaller budgets while multi-byte text is still too long.
 */
export function withinBytes(render: (maxChars: number) => string, maxBytes: number): string {
  let chars = maxBytes;
  let out = render(chars);
  while (Buffer.byteLength(out) > maxBytes && chars > 100) {
    chars = Math.floor(chars * 0.8);
    out = render(chars);
  }
  return out;
}
