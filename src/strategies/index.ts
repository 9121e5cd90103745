import type { Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { asyncStrategy } from './async.js';
import { processesStrategy } from './processes.js';
import { queueStrategy } from './queue.js';
import { serialStrategy } from './serial.js';
import { threadsStrategy } from './threads.js';
import type { ModeSettings, ModeSetup, Strategy, SweepCommand } from './types.js';

/**
 * The modes that check every site on this machine, needing nothing else: what `bench` compares by
 * default and what the strategy tests sweep.
 */
export const MODE_NAMES = ['serial', 'async', 'threads', 'processes'] as const;
/** Every mode `--mode` accepts: the local ones, and queue, which needs a Redis and workers (--redis). */
export const ALL_MODE_NAMES = [...MODE_NAMES, 'queue'] as const;
export type ModeName = (typeof ALL_MODE_NAMES)[number];

/** Adding a mode is one file and one line here. */
export const STRATEGIES = {
  serial: serialStrategy,
  async: asyncStrategy,
  threads: threadsStrategy,
  processes: processesStrategy,
  queue: queueStrategy,
} satisfies Record<ModeName, Strategy>;

/**
 * The mode's strategy for a daemon: one instance for every sweep, so that a pooled mode keeps its
 * workers; the caller closes it (`close`) when it stops.
 */
export function openStrategy(mode: ModeName): Strategy {
  const strategy: Strategy = STRATEGIES[mode];
  return strategy.open?.() ?? strategy;
}

export function isModeName(name: string): name is ModeName {
  return (ALL_MODE_NAMES as readonly string[]).includes(name);
}

/** The options every mode adds to a sweeping command, each with the mode that reads it. */
function ownedOptions(command: SweepCommand): Array<{ mode: ModeName; option: Option }> {
  return ALL_MODE_NAMES.flatMap(
    (mode) => STRATEGIES[mode].options?.(command).map((option) => ({ mode, option })) ?? [],
  );
}

/** What `command` adds for the modes: their own options, worded for it. */
export function modeOptions(command: SweepCommand): Option[] {
  return ownedOptions(command).map((o) => o.option);
}

/**
 * The chosen mode's settings from its options. With `refuse`, an option of another mode given on the
 * command line is a usage error: it would do nothing, and the user surely meant that mode.
 * @throws UsageError from the mode's own checks, or for another mode's option
 */
export function configureMode(
  mode: ModeName,
  setup: ModeSetup,
  refuse?: { given(attribute: string): boolean },
): ModeSettings {
  if (refuse !== undefined) {
    for (const { mode: owner, option } of ownedOptions(setup.command)) {
      if (owner !== mode && refuse.given(option.attributeName())) {
        throw new UsageError(`${option.long} applies to --mode ${owner} only (the mode is ${mode}).`);
      }
    }
  }
  return STRATEGIES[mode].configure?.(setup) ?? {};
}

export type {
  ModeSettings,
  ModeSetup,
  Strategy,
  SweepCommand,
  SweepContext,
  SweepOptions,
} from './types.js';
