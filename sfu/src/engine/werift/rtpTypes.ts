/** One RTP header extension element; `payload` is a view into the packet's bytes. */
export interface RtpExtensionView {
  id: number;
  payload: Buffer;
}

/**
 * The fields of a received RTP header the engine reads. werift's `RtpHeader` has the same shape, so
 * tests can still hand the engine werift packets.
 */
export interface RtpHeaderView {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  extensions: RtpExtensionView[];
}

/** A received RTP packet: parsed header fields and a view of the payload (padding removed). */
export interface RtpPacketView {
  header: RtpHeaderView;
  payload: Buffer;
}
