import fs from 'node:fs';
import { round } from './proc.ts';

/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): where a process spent its CPU, by area (package,
 * node internals, fundflow's own folders) and by function, self and inclusive. When windows are
 * given (monotonic µs, the clock V8 stamps samples with), only samples inside them count, so start-up
 * and idle gaps between phases do not blur the picture.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  /** Wall time covered (the windows, or the whole profile). */
  wallMs: number;
  /** Sample counts times the sampling interval: close to CPU time, not wall time. */
  idleMs: number;
  busyMs: number;
  /** Self time by area, % of busy time. */
  byArea: { area: string; ms: number; percent: number }[];
  /**
   * Self time charged to the nearest package or fundflow frame on the stack (a writev called by pg
   * counts for pg, one called by express's res.send for express); samples with no such frame keep
   * their own area (node's HTTP parser, timers, GC).
   */
  byOwner: { area: string; ms: number; percent: number }[];
  /** Functions with the most self time. */
  topSelf: { fn: string; area: string; ms: number; percent: number }[];
  /** Inclusive time (the frame and everything it called, synchronous part) of fundflow's functions and the libraries' entry points. */
  topInclusive: { fn: string; area: string; ms: number; percent: number }[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
/** Areas whose frames are worth an inclusive figure (the rest are node internals and V8 builtins). */
const INCLUSIVE_AREAS = /^(fundflow |express$|router$|body-parser$|helmet$|pg$|pg-pool$|pg-protocol$|zod$|xstate$|prom-client$|raw-body$)/;

/** Native socket writes: their samples are mostly a thread preempted in the syscall (see below), so they stay apart. */
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);
export const SOCKET_WRITE_AREA = '(socket write syscalls)';

function areaOf(frame: ProfileNode['callFrame'], repoRoot: string): string {
  const { url, functionName } = frame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url && SOCKET_WRITES.has(functionName)) return SOCKET_WRITE_AREA;
  if (!url) return '(native: V8 builtins, JSON, syscalls)';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const rest = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return `node:${parts[0] === 'internal' ? parts.slice(1, 2).join('/') : parts[0]}`;
  }
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  const local = url.replace(/^file:\/\//, '').replace(root, '');
  const parts = local.split('/');
  return parts.length > 1 ? `fundflow ${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}` : `fundflow ${local}`;
}

function keyOf(frame: ProfileNode['callFrame']): string {
  const file = frame.url ? frame.url.split('/').slice(-2).join('/') : '';
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

export function summariseCpuProfile(file: string, repoRoot: string, windows: [number, number][] = [], top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const inWindow = (at: number) => windows.length === 0 || windows.some(([start, end]) => at >= start && at <= end);
  // Every sample counts one sampling interval. The deltas between samples are wall time: on a busy
  // machine a thread preempted inside a syscall (typically writev waking the PostgreSQL backend on
  // the same core) gets one late sample with a long delta, which would charge the wait to writev.
  // Counting samples instead keeps the figures close to CPU time.
  const sortedDeltas = [...profile.timeDeltas].filter((delta) => delta > 0).sort((a, b) => a - b);
  const intervalMs = (sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 1000) / 1000;
  const selfByNode = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    if (!inWindow(at)) continue;
    const id = profile.samples[i]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + intervalMs);
  }
  let idleMs = 0;
  let busyMs = 0;
  const byArea = new Map<string, number>();
  const byFn = new Map<string, { area: string; ms: number }>();
  const inclusive = new Map<string, { area: string; ms: number }>();
  const byOwner = new Map<string, number>();
  const isUserland = (area: string) => !area.startsWith('node:') && !area.startsWith('(');
  for (const [id, ms] of selfByNode) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const area = areaOf(node.callFrame, repoRoot);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const key = keyOf(node.callFrame);
    const entry = byFn.get(key) ?? { area, ms: 0 };
    entry.ms += ms;
    byFn.set(key, entry);
    // Inclusive: each distinct frame on this sample's stack gets the sample's time once (recursion counted once).
    const seen = new Set<string>();
    let owner: string | undefined;
    for (let frameId: number | undefined = id; frameId !== undefined; frameId = parent.get(frameId)) {
      const frame = byId.get(frameId)!.callFrame;
      const frameArea = areaOf(frame, repoRoot);
      if (owner === undefined && isUserland(frameArea)) owner = frameArea;
      if (!INCLUSIVE_AREAS.test(frameArea)) continue;
      const frameKey = keyOf(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      const total = inclusive.get(frameKey) ?? { area: frameArea, ms: 0 };
      total.ms += ms;
      inclusive.set(frameKey, total);
    }
    const ownerArea = area === SOCKET_WRITE_AREA ? area : (owner ?? area);
    byOwner.set(ownerArea, (byOwner.get(ownerArea) ?? 0) + ms);
  }
  const pct = (ms: number) => round((100 * ms) / (busyMs || 1), 1);
  const ranked = (map: Map<string, { area: string; ms: number }>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, count)
      .map(([fn, { area, ms }]) => ({ fn, area, ms: Math.round(ms), percent: pct(ms) }));
  const wallUs = windows.length ? windows.reduce((sum, [start, end]) => sum + (end - start), 0) : profile.endTime - profile.startTime;
  return {
    file,
    wallMs: Math.round(wallUs / 1000),
    idleMs: Math.round(idleMs),
    busyMs: Math.round(busyMs),
    byArea: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, ms: Math.round(ms), percent: pct(ms) })),
    byOwner: [...byOwner.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, ms: Math.round(ms), percent: pct(ms) })),
    topSelf: ranked(byFn, top),
    topInclusive: ranked(inclusive, top + 10),
  };
}
