import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The staff pages' bundle (web/dist), built by Vite when it is missing or older than its sources.
 * "Older" is a hash of every source the bundle is made from (web/ and the shared pure modules it
 * imports, plus the lock file) against the stamp written after the last build, so an unchanged
 * tree costs one hash (tens of milliseconds) and never a build.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = path.join(REPO_ROOT, 'web');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const STAMP = path.join(WEB_DIST, '.source-hash');
const SOURCES = ['web/index.html', 'web/vite.config.ts', 'web/src', 'machines', 'config', 'src/domain', 'src/reports/labels.ts', 'package-lock.json'];

async function filesUnder(relative: string): Promise<string[]> {
  const absolute = path.join(REPO_ROOT, relative);
  if (!existsSync(absolute)) return [];
  const entries = await readdir(absolute, { withFileTypes: true, recursive: true }).catch(() => null);
  if (entries === null) return [relative];
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** SHA-256 over the names and contents of every bundle source, in a fixed order. */
export async function hashWebSources(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of await filesUnder(source)) {
      hash.update(file.split(path.sep).join('/')).update('\0').update(await readFile(path.join(REPO_ROOT, file))).update('\0');
    }
  }
  return hash.digest('hex');
}

export async function isWebBundleFresh(hash?: string): Promise<boolean> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) return false;
  const stamp = await readFile(STAMP, 'utf8').catch(() => '');
  return stamp.trim() === (hash ?? (await hashWebSources()));
}

/**
 * Vite in a child process with NODE_ENV=production: a test runner's NODE_ENV=test would otherwise
 * give the development builds of React and the JSX transform.
 */
function runViteBuild(): Promise<void> {
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(WEB_ROOT, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

let building: Promise<{ built: boolean; ms: number }> | null = null;

/** Builds web/dist unless it is fresh; concurrent callers in one process share one build. */
export function ensureWebBundle(log: (line: string) => void = () => {}): Promise<{ built: boolean; ms: number }> {
  building ??= (async () => {
    const started = Date.now();
    const hash = await hashWebSources();
    if (await isWebBundleFresh(hash)) return { built: false, ms: Date.now() - started };
    log('building the web pages (web/dist) with Vite ...');
    await runViteBuild();
    await writeFile(STAMP, `${hash}\n`);
    const ms = Date.now() - started;
    log(`web pages built in ${(ms / 1000).toFixed(1)} s`);
    return { built: true, ms };
  })().finally(() => {
    building = null;
  });
  return building;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { built, ms } = await ensureWebBundle((line) => console.log(line));
  if (!built) console.log(`web pages up to date (checked in ${ms} ms)`);
}
