import type { ProducerCodecOptions } from 'mediasoup-client/types';

/**
 * Opus for weak links: in-band FEC rebuilds a lost packet from the next one, and DTX sends almost nothing in
 * silence. Chromium offers `useinbandfec=1` but not `usedtx`; mediasoup-client writes these into the SDP answer
 * (so the encoder uses them) and into the producer's RTP parameters the SFU receives.
 */
export const opusCodecOptions: ProducerCodecOptions = { opusFec: true, opusDtx: true };

/** The codec options of a producer sending `track`: Opus's for audio, none for video. */
export function codecOptionsFor(track: MediaStreamTrack): ProducerCodecOptions | undefined {
  return track.kind === 'audio' ? opusCodecOptions : undefined;
}
