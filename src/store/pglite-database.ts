import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { parseInt8, type Database } from './database.ts';

const parsers = { [types.INT8]: parseInt8 };

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  constructor(
    private runner: PGlite | Transaction,
    private root: PGlite,
    private readonly release: () => void,
    /** The PGDATA directory; undefined in memory. */
    readonly pgdata?: string,
  ) {}

  /** PGlite's own dump: a gzipped tarball of its PGDATA, taken between statements. */
  async dump(): Promise<Uint8Array> {
    const file = await this.root.dumpDataDir('gzip');
    return new Uint8Array(await file.arrayBuffer());
  }

  /**
   * Replaces the whole database by a dump, keeping the lock: the current PGDATA is moved aside
   * (its path is returned) and PGlite starts on the dump. If the dump does not load, the old data
   * is put back and opened again.
   */
  async replaceWithDump(dump: Uint8Array): Promise<string | undefined> {
    await this.root.close();
    const aside = this.pgdata ? `${this.pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}` : undefined;
    if (this.pgdata && aside) fs.renameSync(this.pgdata, aside);
    let loaded: PGlite;
    try {
      loaded = await PGlite.create(this.pgdata, { parsers, loadDataDir: new Blob([dump as Uint8Array<ArrayBuffer>]) });
    } catch (error) {
      if (this.pgdata && aside) {
        fs.rmSync(this.pgdata, { recursive: true, force: true });
        fs.renameSync(aside, this.pgdata);
      }
      this.root = this.runner = await PGlite.create(this.pgdata, { parsers });
      throw error;
    }
    this.root = this.runner = loaded;
    return aside;
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.runner.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    return this.root.transaction((tx) => work(new PgliteDatabase(tx, this.root, () => {}, this.pgdata)));
  }

  async close(): Promise<void> {
    await this.root.close();
    this.release();
  }
}

export class DatabaseLockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * PGlite is one process's database. A lock file keeps a second process (a CLI run while the
 * service runs) from opening the same directory and corrupting it.
 */
function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, 'fundflow.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // Exclusive create: of two processes starting at once, exactly one gets the lock.
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseLockedError(
          `the embedded database in ${dir} is in use by process ${holder} (the running service): stop it first, or set DATABASE_URL to a PostgreSQL server that both can share`,
        );
      }
      // The holder is gone: the lock is stale.
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseLockedError(`could not take the lock on the embedded database in ${dir}; another process is starting on it`);
}

/** Opens PGlite in `dir`, or in memory when dir is undefined (tests). */
export async function openPgliteDatabase(dir?: string): Promise<Database> {
  let release = () => {};
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
  }
  try {
    const pgdata = dir ? path.join(dir, 'pgdata') : undefined;
    const db = await PGlite.create(pgdata, { parsers });
    return new PgliteDatabase(db, db, release, pgdata);
  } catch (error) {
    release();
    throw error;
  }
}

/** The embedded database behind the port, for backup and restore (undefined for PostgreSQL). */
export function asPglite(db: Database): Pick<PgliteDatabase, 'dump' | 'replaceWithDump' | 'pgdata'> | undefined {
  return db instanceof PgliteDatabase ? db : undefined;
}
