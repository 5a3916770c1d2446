import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Rules that keep the shape (issue 10 item 10), read from the source tree. No allowlist: a file
 * that breaks a rule is named in the failure and must be fixed, not excused.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'workers', 'machines', 'config'];

function sourceFiles(): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push({ file: rel, text: fs.readFileSync(path.join(ROOT, rel), 'utf8') });
    }
  };
  for (const dir of SCANNED) if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
  return files;
}

/** Comments say why; they may name statements. Only code counts. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const SQL = /\b(SELECT\s+(\*|[\w"]+[\s,.(])|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)\b|ALTER\s+TABLE\b|TRUNCATE\b\s+\w|WITH\s+\w+\s+AS\s*\()/;
const QUERY_CALL = /\.query\s*(<[^>]*>)?\s*\(\s*[`'"]/;
const mayHoldSql = (file: string) => file.startsWith('src/store/') || /^src\/reports\/[^/]+\.loader\.ts$/.test(file);

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const mustNotImportStore = (file: string) => file.startsWith('src/http/') || file.startsWith('src/cli/') || file.startsWith('workers/');

/** A stored row's JSON read directly: SQL paths into the column, or the column cast and dug into in code. */
const SNAPSHOT_PATH = /snapshot\s*(->>?|#>>?)|(?<!restored)\.snapshot\s+as\b|(?<!restored)\.snapshot\)?\??\.context\b|\(\s*\w+\??\.snapshot\s+as\b/;
const mayReadSnapshotJson = (file: string) => file === 'machines/project.restore.ts' || file === 'src/store/projects.store.ts';

function offenders(test: (file: string, code: string) => string | undefined): string[] {
  return sourceFiles()
    .map(({ file, text }) => test(file, withoutComments(text)))
    .filter((line): line is string => line !== undefined);
}

const firstLine = (code: string, pattern: RegExp) => code.split('\n').find((line) => pattern.test(line))?.trim().slice(0, 120);

describe('shape rules', () => {
  it('scans the tree (the rules below cannot pass vacuously)', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => mayHoldSql(f.file) && SQL.test(f.text)).length).toBeGreaterThan(5);
  });

  it('SQL lives only in src/store and src/reports/*.loader.ts', () => {
    const found = offenders((file, code) => {
      if (mayHoldSql(file)) return undefined;
      const line = firstLine(code, SQL) ?? firstLine(code, QUERY_CALL);
      return line ? `${file}: ${line}` : undefined;
    });
    expect(found).toEqual([]);
  });

  it('src/http, src/cli and workers/ never import src/store', () => {
    const found = offenders((file, code) => {
      if (!mustNotImportStore(file)) return undefined;
      for (const match of code.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2]!;
        if (!spec.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (target.startsWith('src/store/')) return `${file}: imports ${spec}`;
      }
      return undefined;
    });
    expect(found).toEqual([]);
  });

  it('stored snapshot JSON is read only by restore and the store projection', () => {
    const found = offenders((file, code) => {
      if (mayReadSnapshotJson(file)) return undefined;
      const line = firstLine(code, SNAPSHOT_PATH);
      return line ? `${file}: ${line}` : undefined;
    });
    expect(found).toEqual([]);
  });

  it('the detectors recognise what they look for', () => {
    expect(SQL.test("db.query('SELECT name FROM users WHERE id = $1')")).toBe(true);
    expect(SQL.test('`UPDATE task_links SET used_at = $2`')).toBe(true);
    expect(QUERY_CALL.test("db.query<{ n: number }>('SELECT 1')")).toBe(true);
    expect(SNAPSHOT_PATH.test("snapshot -> 'context' -> 'fundId'")).toBe(true);
    expect(SNAPSHOT_PATH.test('(project.snapshot as { context: ProjectContext }).context')).toBe(true);
    expect(SNAPSHOT_PATH.test('row.snapshot.context.fundId')).toBe(true);
    expect(SNAPSHOT_PATH.test('restored.snapshot.context.fundId')).toBe(false);
    expect(SQL.test('select the next item')).toBe(false);
  });
});
