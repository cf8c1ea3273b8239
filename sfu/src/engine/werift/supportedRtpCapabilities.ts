import type { RtpCodecCapability, RtpHeaderExtension } from '@telemed/shared';

export const RTP_EXT = {
  mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  rid: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  rrid: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  absSendTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  transportWideCc: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  audioLevel: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
} as const;

const videoFeedback = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb' },
  { type: 'transport-cc' },
];

/** The codecs a router offers when none are configured: what a clinic camera and a browser both do. */
export const defaultMediaCodecs: RtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    parameters: { useinbandfec: 1, usedtx: 1 },
    rtcpFeedback: [{ type: 'transport-cc' }],
  },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: videoFeedback },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
    rtcpFeedback: videoFeedback,
  },
];

/**
 * Header extensions, with mediasoup's ids and directions (seen from the router): rid and repaired-rid are
 * only received; transport-cc is only received, because the engine answers it for producers but estimates
 * consumer bandwidth from the browser's REMB (abs-send-time).
 */
export const supportedHeaderExtensions: RtpHeaderExtension[] = [
  { kind: 'audio', uri: RTP_EXT.mid, preferredId: 1, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: RTP_EXT.mid, preferredId: 1, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: RTP_EXT.rid, preferredId: 2, preferredEncrypt: false, direction: 'recvonly' },
  { kind: 'video', uri: RTP_EXT.rrid, preferredId: 3, preferredEncrypt: false, direction: 'recvonly' },
  { kind: 'audio', uri: RTP_EXT.absSendTime, preferredId: 4, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: RTP_EXT.absSendTime, preferredId: 4, preferredEncrypt: false, direction: 'sendrecv' },
  {
    kind: 'audio',
    uri: RTP_EXT.transportWideCc,
    preferredId: 5,
    preferredEncrypt: false,
    direction: 'recvonly',
  },
  {
    kind: 'video',
    uri: RTP_EXT.transportWideCc,
    preferredId: 5,
    preferredEncrypt: false,
    direction: 'recvonly',
  },
  { kind: 'audio', uri: RTP_EXT.audioLevel, preferredId: 10, preferredEncrypt: false, direction: 'sendrecv' },
];

/** Payload types handed out to router codecs and their RTX, in order (dynamic range, mediasoup's start). */
export const dynamicPayloadTypes = [
  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
  121, 122, 123, 124, 125, 126, 127, 96, 97, 98, 99,
];
