import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  clockTicksPerSecond,
  cpuSecondsOfStatLine,
  readProcessCpuSeconds,
  readProcessRssBytes,
} from './procfs.js';

describe('procfs', () => {
  it('reads the clock tick rate /proc/<pid>/stat counts in', () => {
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  it("reads a busy child process's CPU from /proc/<pid>/stat, growing as it spins, with its memory", async () => {
    const child = spawn(
      process.execPath,
      ['-e', 'const end = Date.now() + 20000; while (Date.now() < end);'],
      {
        stdio: 'ignore',
      },
    );
    try {
      const pid = child.pid as number;
      const ticks = clockTicksPerSecond();
      const first = readProcessCpuSeconds(pid, ticks);
      // CPU time, not wall time: on a shared machine the child may get little of it, so wait for growth.
      const deadline = Date.now() + 15_000;
      let later = first;
      while (later - first < 0.2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        later = readProcessCpuSeconds(pid, ticks);
      }
      expect(later - first).toBeGreaterThanOrEqual(0.2);
      expect(readProcessRssBytes(pid)).toBeGreaterThan(1024 * 1024);
    } finally {
      child.kill();
    }
  });

  it("agrees with process.cpuUsage() on the test's own process", () => {
    const ticks = clockTicksPerSecond();
    const end = Date.now() + 300;
    while (Date.now() < end);
    const fromProc = readProcessCpuSeconds(process.pid, ticks);
    const usage = process.cpuUsage();
    const fromNode = (usage.user + usage.system) / 1e6;
    // Clock-tick granularity (10 ms at 100 Hz) and the read order apart, the two count the same time.
    expect(Math.abs(fromProc - fromNode)).toBeLessThan(0.1 + 2 / ticks);
  });

  it('counts fields from the last parenthesis, so a command name with spaces and parentheses cannot shift them', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const line = '4242 (mediasoup (w) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 99 1000 10';
    expect(cpuSecondsOfStatLine(line, 100)).toBeCloseTo(3, 10);
    expect(() => cpuSecondsOfStatLine('garbage', 100)).toThrow(/not a \/proc\/<pid>\/stat line/);
  });

  it('fails plainly for a process that does not exist', () => {
    expect(() => readProcessCpuSeconds(2 ** 22 + 12345, 100)).toThrow(/ENOENT/);
  });
});
