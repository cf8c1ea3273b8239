/**
 * What the uplink must carry to send the camera's lowest simulcast layer beside the microphone, in kb/s on the
 * wire, as the browser's estimate (`availableOutgoingBitrate`, which counts packet headers) measures it:
 * - Opus: Chromium encodes a mono voice at 32 kb/s when the SDP sets no `maxaveragebitrate` (ours sets none),
 *   in 20 ms frames, so 50 packets a second;
 * - each packet's headers: IPv4 20 + UDP 8 + RTP 12 + header extensions ~12 + SRTP tag 10, about 60 bytes,
 *   so 24 kb/s for the audio alone, and ~5 kb/s for the ten or so packets a second of a 320×180 layer;
 * - the lowest layer's own cap (`maxBitrate` of the camera's first encoding).
 * With the lowest layer capped at 60 kb/s that is about 120 kb/s. Below it, the lowest layer and the audio
 * compete for a link that holds neither (the 150 kb/s, 10% loss bench row: 320×180 at 8–11 fps with freezes).
 */
export const opusVoiceKbps = 32;
const audioHeadersKbps = 24;
const videoHeadersKbps = 5;

/** The estimate below which the camera pauses, for the camera's simulcast encodings (lowest first). */
export function uplinkPauseBelowKbps(encodings: ReadonlyArray<{ maxBitrate?: number }>): number {
  const lowestLayerKbps = (encodings[0]?.maxBitrate ?? 100_000) / 1_000;
  return opusVoiceKbps + audioHeadersKbps + lowestLayerKbps + videoHeadersKbps;
}
