import type { RtpParameters } from '@telemed/shared';
import { videoProducerParameters } from '../testing/loopbackHarness.js';

/**
 * What each participant of a synthetic consultation sends (`SFU_BENCH_SHAPE`):
 * - `simulcast` (default): the consultation as the web apps send it. `web-ui/src/call/CallMedia.ts` publishes every
 *   participant's camera, clinic's and specialist's alike, with its three simulcast layers, and the microphone.
 * - `clinic-simulcast`: the clinic sends the three layers, the specialist one plain video stream.
 * - `plain`: one 1.5 Mb/s video stream each (the bench's shape before simulcast).
 * Every participant also sends Opus-shaped audio; each receiver gets the layer the SFU picks.
 */
export type BenchShape = 'simulcast' | 'clinic-simulcast' | 'plain';

export const BENCH_SHAPES: readonly BenchShape[] = ['simulcast', 'clinic-simulcast', 'plain'];

export type ConsultationRole = 'clinic' | 'specialist';

/** One video stream a participant sends: a simulcast layer (with its rid) or the one plain stream. */
export interface VideoLayer {
  rid?: string;
  bitrate: number;
  scaleResolutionDownBy?: number;
}

/**
 * CallMedia's `cameraSimulcastEncodings` (quarter, half and full resolution, capped at 150 kb/s, 500 kb/s and
 * 1.5 Mb/s), with the rids mediasoup-client gives them (`r0`…`r2`). The bench sends each layer at its cap. Copied,
 * not imported: the SFU does not depend on the web apps.
 */
export const CAMERA_SIMULCAST_LAYERS: readonly VideoLayer[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, bitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, bitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, bitrate: 1_500_000 },
];

export const PLAIN_VIDEO: VideoLayer = { bitrate: 1_500_000 };

/** mediasoup-client gives every simulcast encoding this mode when none is set (Chrome111 handler: `L1T3`). */
const SIMULCAST_SCALABILITY_MODE = 'L1T3';

export function parseBenchShape(value: string | undefined): BenchShape {
  if (value === undefined || value === '') return 'simulcast';
  const shape = BENCH_SHAPES.find((s) => s === value);
  if (!shape) throw new Error(`SFU_BENCH_SHAPE=${value} is not one of ${BENCH_SHAPES.join(', ')}`);
  return shape;
}

export function videoLayersFor(shape: BenchShape, role: ConsultationRole): readonly VideoLayer[] {
  const simulcast = shape === 'simulcast' || (shape === 'clinic-simulcast' && role === 'clinic');
  return simulcast ? CAMERA_SIMULCAST_LAYERS : [PLAIN_VIDEO];
}

/**
 * The video producer's RTP parameters as mediasoup-client announces them in `produce`: for simulcast, the given
 * encodings verbatim with a rid each and no SSRC (the SFU learns the SSRCs from the rid header extension); for
 * one stream, its SSRC.
 */
export function videoParametersFor(
  layers: readonly VideoLayer[],
  mid: string,
  plainSsrc: number,
): RtpParameters {
  if (layers.length === 1 && layers[0]?.rid === undefined)
    return videoProducerParameters({ mid, ssrc: plainSsrc });
  const base = videoProducerParameters({ mid, rids: layers.map((l) => l.rid ?? '') });
  return {
    ...base,
    encodings: layers.map((l) => ({
      rid: l.rid,
      scaleResolutionDownBy: l.scaleResolutionDownBy,
      maxBitrate: l.bitrate,
      scalabilityMode: SIMULCAST_SCALABILITY_MODE,
    })),
  };
}
