import { describe, expect, it } from 'vitest';
import {
  AUDIO_MAX_LOSS,
  AUDIO_MIN_KBPS,
  type PrecallMeasurement,
  precallVerdict,
  VIDEO_MAX_LOSS,
  VIDEO_MAX_RTT_MS,
  VIDEO_MIN_KBPS,
} from './precallVerdict.js';

const clean: PrecallMeasurement = {
  reachability: 'udp',
  uplinkKbps: 1_200,
  downlinkKbps: 1_500,
  rttMs: 40,
  loss: 0,
};

describe('the pre-call verdict', () => {
  it('is good for video on a clean link, and notes a relayed one', () => {
    expect(precallVerdict(clean)).toEqual({ kind: 'good-for-video', reasons: [] });
    expect(precallVerdict({ ...clean, reachability: 'turn' })).toEqual({
      kind: 'good-for-video',
      reasons: ['relayed'],
    });
  });

  it('cannot connect when the SFU cannot be reached, whatever else was measured', () => {
    expect(precallVerdict({ ...clean, reachability: 'none' })).toEqual({
      kind: 'cannot-connect',
      reasons: ['unreachable'],
    });
  });

  it('is good for video at ATA’s 384 kbps minimum with 300 ms and 4% loss', () => {
    expect(
      precallVerdict({ ...clean, uplinkKbps: 384, downlinkKbps: 384, rttMs: 300, loss: 0.04 }).kind,
    ).toBe('good-for-video');
  });

  it('falls to audio only at each video threshold, naming the reason', () => {
    expect(precallVerdict({ ...clean, uplinkKbps: VIDEO_MIN_KBPS - 1 })).toEqual({
      kind: 'audio-only',
      reasons: ['low-uplink'],
    });
    expect(precallVerdict({ ...clean, downlinkKbps: 150 }).reasons).toEqual(['low-downlink']);
    expect(precallVerdict({ ...clean, rttMs: VIDEO_MAX_RTT_MS }).reasons).toEqual(['high-rtt']);
    expect(precallVerdict({ ...clean, loss: VIDEO_MAX_LOSS })).toEqual({
      kind: 'audio-only',
      reasons: ['high-loss'],
    });
    expect(precallVerdict({ ...clean, reachability: 'turn', uplinkKbps: 150, loss: 0.1 })).toEqual({
      kind: 'audio-only',
      reasons: ['low-uplink', 'high-loss', 'relayed'],
    });
  });

  it('cannot connect when even audio would fail, or nothing flowed', () => {
    expect(precallVerdict({ ...clean, uplinkKbps: AUDIO_MIN_KBPS - 1 }).kind).toBe('cannot-connect');
    expect(precallVerdict({ ...clean, loss: AUDIO_MAX_LOSS }).kind).toBe('cannot-connect');
    expect(precallVerdict({ ...clean, uplinkKbps: null, downlinkKbps: null }).kind).toBe('cannot-connect');
  });
});
