import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat`'s times (`getconf CLK_TCK`; 100 on every Linux we know of). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/**
 * User plus system CPU seconds a process has used, from `/proc/<pid>/stat` (fields 14 and 15, utime and stime,
 * in clock ticks). Counts every thread of the process. The command name (field 2) is in parentheses and may hold
 * spaces or parentheses itself, so the fields are counted from its last `)`.
 */
export function readProcessCpuSeconds(pid: number, ticksPerSecond: number): number {
  return cpuSecondsOfStatLine(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticksPerSecond);
}

/** utime + stime of one `/proc/<pid>/stat` line, in seconds. */
export function cpuSecondsOfStatLine(stat: string, ticksPerSecond: number): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 200)}`);
  }
  return (utime + stime) / ticksPerSecond;
}

/** A process's resident set size now, from `/proc/<pid>/status` (`VmRSS`, in kB). */
export function readProcessRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}
