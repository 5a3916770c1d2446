import type { z } from 'zod';

/**
 * Keyset paging: the cursor names the sort key of the last row of a page. It is opaque to clients
 * (base64url JSON) and read back through a schema, so a cursor we did not issue is refused
 * rather than trusted.
 */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor carries, or undefined when it is not one this service issued. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
