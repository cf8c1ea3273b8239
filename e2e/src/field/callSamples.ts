/** One second of the call as the specialist's and the clinic's `getStats()` report it. */
export interface CallSample {
  at: number;
  /** The clinic's camera as the specialist decodes it (the largest inbound video), or null when none. */
  video: {
    /** Which inbound stream: a consumer made anew (after a recovery) counts from zero again. */
    id: string;
    frameWidth: number;
    frameHeight: number;
    framesPerSecond: number;
    framesDecoded: number;
    freezeCount: number;
    totalFreezesDuration: number;
  } | null;
  audio: { concealedSamples: number; totalSamplesReceived: number; packetsReceived: number };
  /** The clinic's outbound simulcast layers. */
  layers: Array<{
    rid: string;
    frameWidth: number;
    frameHeight: number;
    framesPerSecond: number;
    limitedBy: string;
  }>;
}

/**
 * Read in the specialist's page: its inbound video and audio. Needs `recordPeerConnections` installed. Only the
 * receivers still receiving count: a consumer closed by a recovery leaves its transceiver `inactive`, and Chromium
 * keeps reporting its frozen `inbound-rtp`, whose frame count would hide the new consumer's until it caught up.
 */
export async function readInbound(): Promise<Pick<CallSample, 'video' | 'audio'>> {
  const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  let video: CallSample['video'] = null;
  const audio = { concealedSamples: 0, totalSamplesReceived: 0, packetsReceived: 0 };
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const receiving = pc
      .getTransceivers()
      .filter((t) => t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv');
    const reports = await Promise.all(receiving.map((t) => t.receiver.getStats()));
    for (const report of reports)
      report.forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') {
          const candidate = {
            id: `${pcs.indexOf(pc)}:${s.id}`,
            frameWidth: s.frameWidth ?? 0,
            frameHeight: s.frameHeight ?? 0,
            framesPerSecond: s.framesPerSecond ?? 0,
            framesDecoded: s.framesDecoded ?? 0,
            freezeCount: s.freezeCount ?? 0,
            totalFreezesDuration: s.totalFreezesDuration ?? 0,
          };
          if (!video || candidate.framesDecoded > video.framesDecoded) video = candidate;
        } else if (s.kind === 'audio') {
          audio.concealedSamples += s.concealedSamples ?? 0;
          audio.totalSamplesReceived += s.totalSamplesReceived ?? 0;
          audio.packetsReceived += s.packetsReceived ?? 0;
        }
      });
  }
  return { video, audio };
}

/** Read in the clinic's page: the camera's simulcast layers as sent. */
export async function readOutboundLayers(): Promise<CallSample['layers']> {
  const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const layers: CallSample['layers'] = [];
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
      layers.push({
        rid: s.rid ?? '',
        frameWidth: s.frameWidth ?? 0,
        frameHeight: s.frameHeight ?? 0,
        framesPerSecond: s.framesPerSecond ?? 0,
        limitedBy: s.qualityLimitationReason ?? 'none',
      });
    });
  }
  return layers;
}

/** Read in a page: the local candidate types of its transports' selected pairs (`relay` when through TURN). */
export async function readSelectedCandidateTypes(): Promise<string[]> {
  const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
  const types: string[] = [];
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const pair = stats.get(s.selectedCandidatePairId);
      const local = pair && stats.get(pair.localCandidateId);
      if (local) types.push(`${local.candidateType}/${local.relayProtocol ?? local.protocol}`);
    });
  }
  return types;
}
