/**
 * Loaded into the bench's child processes with `--import` when BENCH_STALLS=1: reports, with the wall-clock
 * time, every event-loop stall over 40 ms and every garbage collection over 15 ms, so a latency spike in the
 * timeline (BENCH_TIMELINE=1) can be traced to the process and the cause.
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

const TICK_MS = 10;
const STALL_MS = 40;
const GC_MS = 15;
const GC_KINDS: Record<number, string> = {
  1: 'scavenge',
  2: 'minor mark-sweep',
  4: 'mark-compact',
  8: 'weak callbacks',
  16: 'incremental',
};
const who = `${process.argv[1]?.split('/').slice(-3).join('/')} pid ${process.pid}`;
const report = (line: string) => process.stderr.write(`[${new Date().toISOString()} ${who}] ${line}\n`);

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const stall = now - last - TICK_MS;
  if (stall > STALL_MS) report(`event loop stalled ${stall.toFixed(0)} ms`);
  last = now;
}, TICK_MS).unref();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration < GC_MS) continue;
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
    report(`gc ${GC_KINDS[kind] ?? kind} ${entry.duration.toFixed(0)} ms`);
  }
}).observe({ entryTypes: ['gc'] });
