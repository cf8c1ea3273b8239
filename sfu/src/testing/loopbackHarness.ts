import type { RtpCapabilities, RtpParameters } from '@telemed/shared';
import { RtpHeader, type RtpPacket } from 'werift';
import type { Router } from '../engine/Router.js';
import type { WebRtcTransport } from '../engine/WebRtcTransport.js';
import { RtcTestPeer } from './RtcTestPeer.js';

/** SFU_INITIAL_OUTGOING_BITRATE's default: what the service starts every transport's estimate at. */
export const SERVICE_INITIAL_OUTGOING_BITRATE = 1_500_000;

/** A test peer connected to a fresh SFU transport on loopback, started as the service starts its transports. */
export async function connectPeer(
  router: Router,
  options: { initialAvailableOutgoingBitrate?: number } = {},
): Promise<{ transport: WebRtcTransport; peer: RtcTestPeer }> {
  const transport = await router.createWebRtcTransport({
    listenIp: '127.0.0.1',
    initialAvailableOutgoingBitrate:
      options.initialAvailableOutgoingBitrate ?? SERVICE_INITIAL_OUTGOING_BITRATE,
  });
  const peer = await RtcTestPeer.create(transport);
  await transport.connect({ dtlsParameters: peer.dtlsParameters });
  await peer.connect();
  await waitFor(() => transport.dtlsState === 'connected', 5000, 'server DTLS connected');
  return { transport, peer };
}

/** What a receiving browser advertises for the router's codecs (mediasoup-client's recv capabilities). */
export function consumerCapabilities(router: Router, options: { rtx?: boolean } = {}): RtpCapabilities {
  const caps = router.rtpCapabilities;
  return {
    codecs: (caps.codecs ?? []).filter((c) => options.rtx !== false || !/rtx$/i.test(c.mimeType)),
    headerExtensions: (caps.headerExtensions ?? []).filter((e) => e.direction === 'sendrecv'),
  };
}

export const EXT = { mid: 1, rid: 2, rrid: 3, absSendTime: 4, twcc: 5, audioLevel: 10 } as const;

export function videoProducerParameters(options: {
  mid: string;
  rids?: string[];
  ssrc?: number;
}): RtpParameters {
  return {
    mid: options.mid,
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }],
      },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
    ],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: EXT.mid },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', id: EXT.rid },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id', id: EXT.rrid },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: EXT.twcc },
    ],
    encodings: options.rids ? options.rids.map((rid) => ({ rid })) : [{ ssrc: options.ssrc }],
    rtcp: { cname: 'test-cname' },
  };
}

export function audioProducerParameters(options: { mid: string; ssrc: number }): RtpParameters {
  return {
    mid: options.mid,
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: EXT.mid },
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: EXT.audioLevel },
    ],
    encodings: [{ ssrc: options.ssrc }],
    rtcp: { cname: 'test-cname' },
  };
}

export function midExtension(mid: string) {
  return { id: EXT.mid, payload: Buffer.from(mid) };
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wraps a packet for RTX the way a browser does (original sequence number first). */
export function rtxOf(packet: { header: RtpHeader; payload: Buffer }, pt: number, ssrc: number, seq: number) {
  const payload = Buffer.concat([
    Buffer.from([packet.header.sequenceNumber >> 8, packet.header.sequenceNumber & 0xff]),
    packet.payload,
  ]);
  const header = new RtpHeader({ ...packet.header, payloadType: pt, ssrc, sequenceNumber: seq });
  return { header, payload };
}

export function extensionText(packet: RtpPacket, id: number): string | undefined {
  return packet.header.extensions.find((e) => e.id === id)?.payload.toString('ascii');
}
