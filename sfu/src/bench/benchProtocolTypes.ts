import type { DtlsParameters } from '@telemed/shared';
import type { RemoteTransportParameters } from '../testing/RtcTestPeer.js';

/** Engine process → load generator. */
export type EngineToGenerator =
  /** Create a peer against this SFU transport and start ICE/DTLS towards it. */
  | { type: 'peer'; peerId: number; remote: RemoteTransportParameters }
  /** A participant: sends on `sendPeerId` with these SSRCs, receives on `recvPeerId`. */
  | {
      type: 'participant';
      consultation: number;
      sendPeerId: number;
      recvPeerId: number;
      /** The video streams, lowest layer first: three simulcast layers (each with its rid) or one plain stream. */
      video: { ssrc: number; rid?: string; bitrate: number }[];
      audioSsrc: number;
    }
  | { type: 'start' }
  | { type: 'measure'; on: boolean }
  | { type: 'stop' };

/** Load generator → engine process. */
export type GeneratorToEngine =
  | { type: 'peer-created'; peerId: number; dtlsParameters: DtlsParameters }
  | { type: 'peer-connected'; peerId: number }
  | { type: 'error'; message: string }
  | {
      type: 'window';
      /** Packets sent in the window. */
      sent: number;
      /** Packets the forwarded streams' sequence numbers say should have arrived in the window. */
      expected: number;
      /** Media packets only: probe padding (the prober's SSRC) is counted below, apart. */
      received: number;
      paddingPackets: number;
      paddingBytes: number;
      /** Times a sender fell more than 200 ms behind and skipped frames: the offered load was lower. */
      lagSkips: number;
      /** Send→receive times of the decrypted sample, in ms. */
      latenciesMs: number[];
      cpuUserMs: number;
      cpuSystemMs: number;
      elapsedMs: number;
    };
