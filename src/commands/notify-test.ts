import { Agent } from 'undici';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { HOST, testMessage } from '../notify/compose.js';
import { asNotifyError, describeAnswer } from '../notify/errors.js';
import { type ChannelDeps, createChannel } from '../notify/index.js';
import { createRedactor } from '../util/redact.js';
import { didYouMean } from '../util/suggest.js';
import type { CommandAction } from './command.js';

export interface NotifyTestFlags {
  channel?: string[];
  timeout: number;
}

export interface ChannelOutcome {
  channel: string;
  type: string;
  ok: boolean;
  ms: number;
  /** The server's answer on success, what went wrong on failure. */
  detail: string;
  code: string | null;
  transient: boolean | null;
}

/**
 * Sends a test message through each channel (all at once, each within the timeout) and reports each.
 * @returns the outcomes, in config order
 * @throws ConfigError (invalid config), UsageError (no channels, or an unknown --channel)
 */
export async function runNotifyTest(
  file: string,
  flags: NotifyTestFlags,
  io: CliIO,
  deps: ChannelDeps = {},
): Promise<ChannelOutcome[]> {
  const config = await loadConfig(file, io.env);
  const names = Object.keys(config.channels);
  if (names.length === 0) {
    throw new UsageError(`${file} defines no "channels": there is nothing to test.`);
  }
  const chosen = flags.channel ?? names;
  for (const name of chosen) {
    if (!names.includes(name)) {
      const guess = didYouMean(name, names);
      throw new UsageError(
        `--channel ${name}: no such channel in ${file}; ${guess === undefined ? `the channels are ${names.join(', ')}` : `did you mean "${guess}"?`}`,
      );
    }
  }
  const dispatcher = new Agent({ connect: { timeout: flags.timeout } });
  try {
    return await Promise.all(
      chosen.map(async (name): Promise<ChannelOutcome> => {
        const channelConfig = config.channels[name];
        if (channelConfig === undefined) throw new Error(`channel ${name} vanished`);
        const channel = createChannel(name, channelConfig, deps);
        const redact = createRedactor([...config.secrets, ...channel.secrets.filter((s) => s.length >= 4)]);
        const sites = config.sites.filter((s) => s.notify === undefined || s.notify.includes(name)).length;
        const message = testMessage({ channel: name, type: channel.type, host: HOST, sites });
        const started = performance.now();
        try {
          const delivery = await channel.send(message, { dispatcher, timeoutMs: flags.timeout, redact });
          const ms = Math.round(performance.now() - started);
          return {
            channel: name,
            type: channel.type,
            ok: true,
            ms,
            detail: redact(delivery.answer),
            code: null,
            transient: null,
          };
        } catch (thrown) {
          const error = asNotifyError(thrown);
          const ms = Math.round(performance.now() - started);
          const answer = describeAnswer(error.answer);
          // The server's answer, unless the message already quotes its code.
          const code = error.answer?.smtpCode ?? error.answer?.httpStatus;
          const quoted = code === undefined || error.message.includes(String(code));
          return {
            channel: name,
            type: channel.type,
            ok: false,
            ms,
            detail: redact(error.message) + (answer === null || quoted ? '' : ` (${redact(answer)})`),
            code: error.code,
            transient: error.transient,
          };
        }
      }),
    );
  } finally {
    await dispatcher.destroy();
  }
}

export function renderOutcomes(outcomes: readonly ChannelOutcome[]): string {
  const lines = outcomes.map((o) =>
    o.ok
      ? `${o.channel} (${o.type}): delivered in ${o.ms} ms: ${o.detail}`
      : `${o.channel} (${o.type}): FAILED in ${o.ms} ms: ${o.detail} [${o.code}, ${o.transient ? 'transient: may work later' : 'permanent: check the settings'}]`,
  );
  const failed = outcomes.filter((o) => !o.ok).length;
  lines.push(
    failed === 0
      ? `all ${outcomes.length} channel${outcomes.length === 1 ? '' : 's'} delivered`
      : `${failed} of ${outcomes.length} channel${outcomes.length === 1 ? '' : 's'} failed`,
  );
  return `${lines.join('\n')}\n`;
}

/** Exit 0 when every channel delivered, 1 when any failed. */
export const action: CommandAction<NotifyTestFlags> = async ([file], flags, { io }) => {
  const outcomes = await runNotifyTest(file as string, flags, io);
  io.stdout.write(renderOutcomes(outcomes));
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.down;
};
