import type { Page } from 'playwright-core';
import { until } from './until.js';

/**
 * Every RTCPeerConnection the page makes, so a test can read `inbound-rtp` without the app exposing anything.
 * Give it to `page.addInitScript` before the app loads.
 */
export function recordPeerConnections() {
  const w = window as unknown as { __peerConnections: RTCPeerConnection[] };
  w.__peerConnections = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__peerConnections.push(this);
    }
  } as typeof RTCPeerConnection;
}

export interface InboundVideo {
  id: string;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}

/** The decoded inbound video streams of the page's open peer connections, and its inbound audio packets. */
export async function inbound(page: Page): Promise<{ videos: InboundVideo[]; audioPackets: number }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const videos: InboundVideo[] = [];
    let audioPackets = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') {
          videos.push({
            id: `${pcs.indexOf(pc)}:${s.id}`,
            framesDecoded: s.framesDecoded ?? 0,
            frameWidth: s.frameWidth ?? 0,
            frameHeight: s.frameHeight ?? 0,
          });
        } else if (s.kind === 'audio') audioPackets += s.packetsReceived ?? 0;
      });
    }
    return { videos, audioPackets };
  });
}

/** Generous: two cores shared by the platform, two or three Chromiums and their fake cameras. */
export const mediaWaitMs = 45_000;

/** Reads `read()` until `holds` says yes, or throws after `mediaWaitMs` with the last value seen. */
export function untilMedia<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  what: string,
): Promise<T> {
  return until(read, holds, what, mediaWaitMs, 300);
}

/** `count` remote videos whose decoded frames keep rising on `page` (each by at least 10 over a while). */
export async function decodesVideos(page: Page, count: number, what: string): Promise<InboundVideo[]> {
  const first = await untilMedia(
    () => inbound(page),
    (s) => s.videos.filter((v) => v.framesDecoded > 0).length >= count,
    `${what}: ${count} videos decoding`,
  );
  const before = new Map(first.videos.map((v) => [v.id, v.framesDecoded]));
  const later = await untilMedia(
    () => inbound(page),
    (s) => s.videos.filter((v) => v.framesDecoded > (before.get(v.id) ?? 0) + 10).length >= count,
    `${what}: frames rising on ${count} videos`,
  );
  return later.videos.filter((v) => v.framesDecoded > (before.get(v.id) ?? 0) + 10);
}

/** Waits until `page` decodes a remote video of at least `width`×`height` (simulcast starts low and climbs). */
export function decodesAtLeast(page: Page, width: number, height: number, what: string) {
  return untilMedia(
    () => inbound(page),
    (s) => s.videos.some((v) => v.frameWidth >= width && v.frameHeight >= height),
    `${what} at ${width}×${height} or more`,
  );
}

/** The candidate pair a peer connection selected: how its media travels. */
export interface SelectedPair {
  state: string;
  /** `host`, `srflx`, `prflx` or `relay`. */
  localType: string;
  /** The transport between the browser and the TURN server, for a relay candidate (`udp`, `tcp` or `tls`). */
  relayProtocol: string | null;
  /** The protocol of the path to the remote side (from the TURN server on, for a relay). */
  protocol: string;
  bytesSent: number;
  bytesReceived: number;
}

/** The selected candidate pair of each open peer connection of the page (needs `recordPeerConnections`). */
export function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const pairs: SelectedPair[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      stats.forEach((s) => {
        byId.set(s.id, s);
      });
      stats.forEach((s) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
        const pair = byId.get(s.selectedCandidatePairId as string);
        const local = pair ? byId.get(pair.localCandidateId as string) : undefined;
        if (!pair || !local) return;
        pairs.push({
          state: String(pair.state),
          localType: String(local.candidateType),
          relayProtocol: (local.relayProtocol as string | undefined) ?? null,
          protocol: String(local.protocol),
          bytesSent: Number(pair.bytesSent ?? 0),
          bytesReceived: Number(pair.bytesReceived ?? 0),
        });
      });
    }
    return pairs;
  });
}

/** What a sending peer connection heard back from the SFU: RTCP feedback on its outbound streams. */
export interface SendFeedback {
  /** The selected pair's counters, as Chromium keeps them. */
  pairBytesReceived: number;
  pairPacketsReceived: number;
  /** `remote-inbound-rtp`: built from the SFU's receiver reports; a round trip time needs one. */
  remoteInbound: Array<{ kind: string; roundTripTime: number | null; measurements: number }>;
  /** NACKs and PLIs the SFU sent for each outbound stream. */
  outbound: Array<{ kind: string; rid: string | null; nackCount: number; pliCount: number }>;
}

/** For each open peer connection of the page that sends media (a send transport): what came back from the SFU. */
export function sendFeedback(page: Page): Promise<SendFeedback[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const result: SendFeedback[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      const all: Array<Record<string, unknown>> = [];
      stats.forEach((s) => {
        all.push(s);
      });
      const outbound = all.filter((s) => s.type === 'outbound-rtp');
      if (outbound.length === 0) continue;
      const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
      const pair = all.find((s) => s.id === transport?.selectedCandidatePairId);
      result.push({
        pairBytesReceived: Number(pair?.bytesReceived ?? 0),
        pairPacketsReceived: Number(pair?.packetsReceived ?? 0),
        remoteInbound: all
          .filter((s) => s.type === 'remote-inbound-rtp')
          .map((s) => ({
            kind: String(s.kind),
            roundTripTime: typeof s.roundTripTime === 'number' ? s.roundTripTime : null,
            measurements: Number(s.roundTripTimeMeasurements ?? 0),
          })),
        outbound: outbound.map((s) => ({
          kind: String(s.kind),
          rid: (s.rid as string | undefined) ?? null,
          nackCount: Number(s.nackCount ?? 0),
          pliCount: Number(s.pliCount ?? 0),
        })),
      });
    }
    return result;
  });
}
