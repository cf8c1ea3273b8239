import type { CallSample } from './callSamples.js';

/** The value at quantile `q` (0..1) of `values`, nearest rank; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

export interface ProfileFigures {
  medianHeight: number;
  medianWidth: number;
  p10Height: number;
  p10Width: number;
  medianFps: number;
  p10Fps: number;
  freezes: number;
  freezeSeconds: number;
  concealment: number;
  /** Frames the specialist decoded over the window, and audio packets it received. */
  framesDecoded: number;
  audioPackets: number;
}

/** What the specialist saw over `samples` (counters taken as differences between the first and last sample). */
export function figuresOf(samples: CallSample[]): ProfileFigures {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const heights = samples.map((s) => (s.video && s.video.framesPerSecond > 0 ? s.video.frameHeight : 0));
  const widthFor = (height: number) =>
    samples.find((s) => s.video?.frameHeight === height && s.video.framesPerSecond > 0)?.video?.frameWidth ??
    0;
  const fps = samples.map((s) => s.video?.framesPerSecond ?? 0);
  const medianHeight = quantile(heights, 0.5);
  const p10Height = quantile(heights, 0.1);
  const concealed = (last?.audio.concealedSamples ?? 0) - (first?.audio.concealedSamples ?? 0);
  const total = (last?.audio.totalSamplesReceived ?? 0) - (first?.audio.totalSamplesReceived ?? 0);
  return {
    medianHeight,
    medianWidth: widthFor(medianHeight),
    p10Height,
    p10Width: widthFor(p10Height),
    medianFps: quantile(fps, 0.5),
    p10Fps: quantile(fps, 0.1),
    freezes: (last?.video?.freezeCount ?? 0) - (first?.video?.freezeCount ?? 0),
    freezeSeconds: (last?.video?.totalFreezesDuration ?? 0) - (first?.video?.totalFreezesDuration ?? 0),
    concealment: total > 0 ? concealed / total : 1,
    framesDecoded: (last?.video?.framesDecoded ?? 0) - (first?.video?.framesDecoded ?? 0),
    audioPackets: (last?.audio.packetsReceived ?? 0) - (first?.audio.packetsReceived ?? 0),
  };
}
