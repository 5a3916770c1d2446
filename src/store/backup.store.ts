import type { Database } from './database.ts';

/** What a backup or a restore reports it carried: projects and their events. */
export async function countContents(db: Database): Promise<{ projects: number; events: number }> {
  const [row] = await db.query<{ projects: number; events: number }>(
    `SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM project_events)::int AS events`,
  );
  return row!;
}

/** Projects plus users: a restore into a database where this is not 0 would replace data. */
export async function countHeldRows(db: Database): Promise<number> {
  const [held] = await db.query<{ n: number }>(`SELECT ((SELECT count(*) FROM projects) + (SELECT count(*) FROM users))::int AS n`);
  return held!.n;
}
