import type { RtpCapabilities } from '@telemed/shared';
import type { WeriftProducer } from './WeriftProducer.js';
import type { WeriftWebRtcTransport } from './WeriftWebRtcTransport.js';

/** What a transport needs from its router (kept apart to avoid an import cycle). */
export interface WeriftRouterInternal {
  readonly rtpCapabilities: RtpCapabilities;
  getProducer(id: string): WeriftProducer | undefined;
  registerProducer(producer: WeriftProducer): void;
  unregisterProducer(producer: WeriftProducer): void;
  unregisterTransport(transport: WeriftWebRtcTransport, reason: string): void;
}
