import fs from 'node:fs';

/**
 * Linux /proc readings: resident memory of a process, and CPU time of the processes a phase
 * involves (the client, the server child, the PostgreSQL backends of the bench database and the
 * PostgreSQL background processes), so that a phase can say how much CPU one command costs where.
 */

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run on (getconf CLK_TCK)

export interface MemoryReading {
  rssMB: number;
  peakRssMB: number;
}

/** VmRSS and VmHWM (peak) of a process, in MB; undefined when it is gone or /proc is missing. */
export function memoryOf(pid: number): MemoryReading | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: round(kb('VmRSS') / 1024, 1), peakRssMB: round(kb('VmHWM') / 1024, 1) };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in ms; undefined when it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after the closing paren are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Whole-machine CPU from /proc/stat, in ms summed over all cores. */
function systemCpu(): { busyMs: number; totalMs: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busyMs: ((total - idle) * 1000) / CLOCK_TICKS_PER_SECOND, totalMs: (total * 1000) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

interface CpuSnapshot {
  at: number;
  client: number;
  server: number | undefined;
  pgBench: Map<number, number>;
  pgAux: Map<number, number>;
  system: { busyMs: number; totalMs: number } | undefined;
}

/** PostgreSQL processes, split into backends of the bench database and background processes (walwriter, checkpointer...). */
function postgresProcesses(databaseName: string): { bench: Map<number, number>; aux: Map<number, number> } {
  const bench = new Map<number, number>();
  const aux = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return { bench, aux };
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (commOf(pid) !== 'postgres') continue;
    const cmdline = cmdlineOf(pid);
    const cpu = cpuMsOf(pid);
    if (cpu === undefined) continue;
    // A backend's title is "postgres: [<cluster>: ]<user> <database> <client address>(<port>) <activity>";
    // background processes are "postgres: [<cluster>: ]walwriter" and so on.
    const backend = /^postgres: (?:[^:\s]+: )?\S+ (\S+) [\w.:\[\]-]+\(\d+\)/.exec(cmdline);
    if (backend) {
      if (backend[1] === databaseName) bench.set(pid, cpu);
    } else {
      aux.set(pid, cpu);
    }
  }
  return { bench, aux };
}

export interface CpuAccount {
  seconds: number;
  /** CPU ms spent in each part during the phase. */
  clientMs: number;
  serverMs: number | null;
  postgresBackendsMs: number;
  postgresBackgroundMs: number;
  /** Busy CPU of the whole machine, and the part none of the above explains (another job on the machine, the kernel's softirqs...). */
  machineBusyMs: number | null;
  otherMs: number | null;
  /** Machine utilisation over the phase, 0..1 of all cores. */
  machineUtilisation: number | null;
  machineTotalMs: number | null;
}

/** The CPU account of several slices of one phase. */
export function mergeCpuAccounts(parts: CpuAccount[]): CpuAccount {
  const sum = (pick: (part: CpuAccount) => number | null) =>
    parts.some((part) => pick(part) === null) ? null : parts.reduce((total, part) => total + pick(part)!, 0);
  const busy = sum((part) => part.machineBusyMs);
  const total = sum((part) => part.machineTotalMs);
  return {
    seconds: round(sum((part) => part.seconds)!, 2),
    clientMs: sum((part) => part.clientMs)!,
    serverMs: sum((part) => part.serverMs),
    postgresBackendsMs: sum((part) => part.postgresBackendsMs)!,
    postgresBackgroundMs: sum((part) => part.postgresBackgroundMs)!,
    machineBusyMs: busy,
    otherMs: sum((part) => part.otherMs),
    machineUtilisation: busy === null || !total ? null : round(busy / total, 3),
    machineTotalMs: total,
  };
}

function sumDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

/** Starts measuring; the returned function ends the measurement and accounts the CPU of the phase. */
export function startCpuAccount(databaseName: string, serverPid: number | undefined): () => CpuAccount {
  const take = (): CpuSnapshot => {
    const pgProcesses = postgresProcesses(databaseName);
    return {
      at: performance.now(),
      client: cpuMsOf(process.pid) ?? 0,
      server: serverPid === undefined ? undefined : cpuMsOf(serverPid),
      pgBench: pgProcesses.bench,
      pgAux: pgProcesses.aux,
      system: systemCpu(),
    };
  };
  const before = take();
  return () => {
    const after = take();
    const seconds = (after.at - before.at) / 1000;
    const clientMs = after.client - before.client;
    const serverMs = after.server !== undefined && before.server !== undefined ? after.server - before.server : null;
    const postgresBackendsMs = sumDelta(before.pgBench, after.pgBench);
    const postgresBackgroundMs = sumDelta(before.pgAux, after.pgAux);
    const machineBusyMs = after.system && before.system ? after.system.busyMs - before.system.busyMs : null;
    const machineTotalMs = after.system && before.system ? after.system.totalMs - before.system.totalMs : null;
    const ours = clientMs + (serverMs ?? 0) + postgresBackendsMs + postgresBackgroundMs;
    return {
      seconds: round(seconds, 2),
      clientMs: Math.round(clientMs),
      serverMs: serverMs === null ? null : Math.round(serverMs),
      postgresBackendsMs: Math.round(postgresBackendsMs),
      postgresBackgroundMs: Math.round(postgresBackgroundMs),
      machineBusyMs: machineBusyMs === null ? null : Math.round(machineBusyMs),
      otherMs: machineBusyMs === null ? null : Math.max(0, Math.round(machineBusyMs - ours)),
      machineUtilisation: machineBusyMs === null || !machineTotalMs ? null : round(machineBusyMs / machineTotalMs, 3),
      machineTotalMs: machineTotalMs === null ? null : Math.round(machineTotalMs),
    };
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
