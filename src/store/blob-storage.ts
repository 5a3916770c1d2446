import { createHash } from 'node:crypto';
import type { Database } from './database.ts';

/**
 * Where the bytes of attached files live, addressed by their SHA-256 (hex). The default keeps them
 * in PostgreSQL (table `blobs`, migration 011); an S3-compatible store can implement the same four
 * calls (a bucket keyed by the hash: PUT if absent, GET, HEAD, GET-and-hash) and replace it.
 */
export interface BlobStore {
  /** Stores the bytes under their hash (a no-op when that hash is already stored); returns the hash. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes stored under the hash, or null. */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
  /** For audit:verify: what is stored under each hash, hashed again (null: nothing is stored). */
  rehash(sha256s: readonly string[]): Promise<Map<string, { actualSha256: string; sizeBytes: number } | null>>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The default BlobStore: the `blobs` table, on PostgreSQL and PGlite alike. */
export function databaseBlobStore(db: Database): BlobStore {
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      await db.query(
        `INSERT INTO blobs (sha256, size_bytes, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
        [sha256, bytes.byteLength, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
      );
      return sha256;
    },
    async get(sha256) {
      const rows = await db.query<{ bytes: Uint8Array }>('SELECT bytes FROM blobs WHERE sha256 = $1', [sha256]);
      const bytes = rows[0]?.bytes;
      return bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
    },
    async has(sha256) {
      return (await db.query('SELECT 1 FROM blobs WHERE sha256 = $1', [sha256])).length > 0;
    },
    async rehash(sha256s) {
      const found = new Map<string, { actualSha256: string; sizeBytes: number } | null>(sha256s.map((hash) => [hash, null]));
      if (sha256s.length === 0) return found;
      // Hashed inside the database: the bytes never travel for a check.
      const rows = await db.query<{ sha256: string; actual: string; size_bytes: number }>(
        `SELECT sha256, encode(sha256(bytes), 'hex') AS actual, length(bytes)::bigint AS size_bytes
           FROM blobs WHERE sha256 = ANY($1::text[])`,
        [sha256s],
      );
      for (const row of rows) found.set(row.sha256, { actualSha256: row.actual, sizeBytes: Number(row.size_bytes) });
      return found;
    },
  };
}
