import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The pure core has one direction: machines/ may import src/domain/, src/domain/ never imports
 * machines/, and no import circle exists among the two. Type-only imports count too: a circle of
 * types is still a circle a reader has to untangle.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CORE_DIRS = ['machines', 'src/domain'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative specifiers of every static import, re-export and dynamic import of a file. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gms, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found.filter((specifier) => specifier.startsWith('.'));
}

function coreGraph(): Map<string, string[]> {
  const files = CORE_DIRS.flatMap((dir) => filesUnder(join(ROOT, dir)));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => relative(ROOT, resolve(dirname(file), specifier)));
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** Every import circle (as a list of files) among the given graph's own nodes. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the pure core has one direction', () => {
  const graph = coreGraph();

  it('reads the core: both folders have files and imports', () => {
    expect([...graph.keys()].filter((file) => file.startsWith('machines/')).length).toBeGreaterThanOrEqual(3);
    expect([...graph.keys()].filter((file) => file.startsWith('src/domain/')).length).toBeGreaterThanOrEqual(10);
    // machines/ does use the domain: the arrow exists, in the allowed direction.
    const downward = [...graph].flatMap(([from, to]) => (from.startsWith('machines/') ? to.filter((t) => t.startsWith('src/domain/')) : []));
    expect(downward.length).toBeGreaterThan(0);
  });

  it('src/domain never imports machines/', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      from.startsWith('src/domain/') ? targets.filter((target) => target.startsWith('machines/')).map((target) => `${from} -> ${target}`) : [],
    );
    expect(upward).toEqual([]);
  });

  it('no import circle among machines/ and src/domain/', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('the checks themselves catch an upward arrow and a circle', () => {
    expect(importSpecifiers(`import type { A } from '../../machines/x.ts';\nexport * from './y.ts';\nconst m = await import('./z.ts');`)).toEqual([
      '../../machines/x.ts',
      './y.ts',
      './z.ts',
    ]);
    const circle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(circle)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});
