import { describe, expect, it } from 'vitest';
import { benchSchedule } from './benchSchedule.js';
import { engineRatio, WERIFT_RATIO_GOAL } from './engineRatio.js';

describe('benchSchedule', () => {
  it('alternates the engines run by run within each level, level after level', () => {
    const order = benchSchedule([5, 10], 3, ['werift', 'mediasoup']).map(
      (r) => `${r.level}:${r.engine}:${r.run}`,
    );
    expect(order).toEqual([
      '5:werift:0',
      '5:mediasoup:0',
      '5:werift:1',
      '5:mediasoup:1',
      '5:werift:2',
      '5:mediasoup:2',
      '10:werift:0',
      '10:mediasoup:0',
      '10:werift:1',
      '10:mediasoup:1',
      '10:werift:2',
      '10:mediasoup:2',
    ]);
  });

  it('runs one engine alone where the other is missing', () => {
    expect(benchSchedule([2], 2, ['werift']).map((r) => r.engine)).toEqual(['werift', 'werift']);
  });
});

describe('engineRatio', () => {
  it("is werift over mediasoup: the outside run's 30 consultations give 0.25 and a p99 1.85× as long", () => {
    // Issue 23's figures: werift 23.4k packets per core-second and p99 23.3 ms, mediasoup 93k and 12.6 ms.
    const ratio = engineRatio(
      { packetsPerCpuSecond: 23_400, p99Ms: 23.3 },
      { packetsPerCpuSecond: 93_600, p99Ms: 12.6 },
    );
    expect(ratio.packetsPerCpuSecond).toBeCloseTo(0.25, 5);
    expect(ratio.p99).toBeCloseTo(1.849, 3);
    expect(ratio.meetsGoal).toBe(false);
  });

  it('meets the goal at exactly half of mediasoup, not below', () => {
    const half = engineRatio({ packetsPerCpuSecond: 50, p99Ms: 1 }, { packetsPerCpuSecond: 100, p99Ms: 1 });
    expect(half.packetsPerCpuSecond).toBe(WERIFT_RATIO_GOAL);
    expect(half.meetsGoal).toBe(true);
    const below = engineRatio(
      { packetsPerCpuSecond: 49.9, p99Ms: 1 },
      { packetsPerCpuSecond: 100, p99Ms: 1 },
    );
    expect(below.meetsGoal).toBe(false);
  });

  it('gives NaN, not Infinity or a met goal, when mediasoup measured nothing', () => {
    const ratio = engineRatio(
      { packetsPerCpuSecond: 10, p99Ms: 5 },
      { packetsPerCpuSecond: 0, p99Ms: Number.NaN },
    );
    expect(ratio.packetsPerCpuSecond).toBeNaN();
    expect(ratio.p99).toBeNaN();
    expect(ratio.meetsGoal).toBe(false);
  });
});
