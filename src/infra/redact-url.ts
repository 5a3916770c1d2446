/** `scheme://user:password@` (or `scheme://:password@`, or `scheme://token@`) anywhere in a text. */
const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"']*)@/gi;

/** The text with the credentials of every URL in it replaced by ***, e.g. redis://:***@host:6379. */
export function redactUrls(text: string): string {
  return text.replace(CREDENTIALS, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** A copy of a log record with every string in it passed through redactUrls (Errors keep their shape). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrls(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactUrls(value.message)) as Error & Record<string, unknown>;
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactUrls(value.stack);
    for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, depth + 1)]));
}
