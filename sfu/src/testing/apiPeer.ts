import type { SfuControlClient, SfuControlResponse } from '@telemed/shared';
import { RtcTestPeer } from './RtcTestPeer.js';

/** A test peer connected through the control API, the way the signaling server will drive a browser. */
export async function connectPeerViaApi(
  call: SfuControlClient,
  roomId: string,
  direction: 'send' | 'recv',
): Promise<{ peer: RtcTestPeer; created: SfuControlResponse<'createWebRtcTransport'> }> {
  const created = await call('createWebRtcTransport', { roomId, direction });
  const peer = await RtcTestPeer.create(created);
  await call('connectWebRtcTransport', {
    roomId,
    transportId: created.transportId,
    dtlsParameters: peer.dtlsParameters,
  });
  await peer.connect();
  return { peer, created };
}
