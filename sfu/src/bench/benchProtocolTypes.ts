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
      videoSsrc: number;
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
      sent: number;
      received: number;
      /** Send→receive times of the packets received in the window, in ms (sampled when many). */
      latenciesMs: number[];
      cpuUserMs: number;
      cpuSystemMs: number;
      elapsedMs: number;
    };
