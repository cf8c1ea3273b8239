import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const TICKS_PER_MS = 100 / 1000;

/** CPU time (user + system, ms) used so far by a process and, recursively, its children (a cluster's workers). */
function cpuOfPid(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return (
      own + (children ? children.split(' ').reduce((sum, child) => sum + cpuOfPid(Number(child)), 0) : 0)
    );
  } catch {
    return 0;
  }
}

/** CPU time (user + system, ms) used so far by each of `processes` (with their children), then by this process. */
export function cpuTimes(...processes: ChildProcess[]): number[] {
  const own = process.cpuUsage();
  return [...processes.map((child) => cpuOfPid(child.pid!)), (own.user + own.system) / 1000];
}

export interface MachineTimes {
  /** All CPU time of the machine so far, in ticks. */
  total: number;
  /** Taken by the hypervisor while this machine wanted to run (every process stalls). */
  steal: number;
  /** Idle while waiting for the disk. */
  iowait: number;
  /** Idle otherwise. */
  idle: number;
}

/** The machine's CPU time so far, from /proc/stat. */
export function machineTimes(): MachineTimes {
  try {
    // cpu  user nice system idle iowait irq softirq steal …
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return {
      total: fields.slice(0, 8).reduce((sum, v) => sum + v, 0),
      idle: fields[3] ?? 0,
      iowait: fields[4] ?? 0,
      steal: fields[7] ?? 0,
    };
  } catch {
    return { total: 0, steal: 0, iowait: 0, idle: 0 };
  }
}

/** Shares (%) of the machine's CPU time between two readings: running anything, stolen, idle waiting for the disk. */
export function machineShares(
  before: MachineTimes,
  after: MachineTimes,
): { busyPercent: number; stealPercent: number; iowaitPercent: number } {
  const elapsed = Math.max(1, after.total - before.total);
  const share = (ticks: number) => (100 * ticks) / elapsed;
  const idle = after.idle - before.idle + after.iowait - before.iowait;
  const steal = after.steal - before.steal;
  return {
    busyPercent: share(after.total - before.total - idle - steal),
    stealPercent: share(steal),
    iowaitPercent: share(after.iowait - before.iowait),
  };
}
