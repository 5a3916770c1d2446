import { z } from 'zod';

/** Exit codes of `npm run cli`; documented in `--help`. */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem (a broken audit chain) or failed (database error). */
  failed: 1,
  /** Bad flags, unknown command, bad configuration. */
  usage: 2,
  /** The embedded database is held by another live process. */
  locked: 3,
} as const;

/** A bad flag, an unknown command or a flag naming something that does not exist: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command could not do its work (a duplicate, a refusal); one line, exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** `credit-code` <-> `creditCode`: flags are kebab-case on the command line, camelCase in code. */
export function flagToKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, char: string) => char.toUpperCase());
}

export function keyToFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (char) => `-${char.toLowerCase()}`)}`;
}

/**
 * Validates a command's flags with its zod schema; every problem becomes part of ONE line that
 * names the flag: `--role: must be one of ...; --email: is required`.
 */
export function parseFlags<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const given = (input ?? {}) as Record<string, unknown>;
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    const flag = typeof key === 'string' ? keyToFlag(key) : 'flags';
    if (problems.has(flag)) continue;
    const missing = typeof key === 'string' && given[key] === undefined;
    problems.set(flag, `${flag}: ${missing ? 'is required' : issue.message}`);
  }
  throw new UsageError([...problems.values()].join('; '));
}
