/** Exit codes, documented in the README. Only src/cli.ts and the command actions it runs use them. */
export const EXIT = { ok: 0, down: 1, usage: 2, internal: 3, interrupted: 130 } as const;
