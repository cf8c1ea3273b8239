import { z } from 'zod';
import { mediaKindSchema, rtpCapabilitiesSchema, rtpParametersSchema } from '../sfu/rtpParameters.js';
import { sfuControlMethods, sfuEntityIdSchema } from '../sfu/sfuControlApi.js';

/**
 * The pre-call network test (issue 22), outside any consultation: a signed-in clinic doctor or specialist gets a
 * short-lived router on an SFU node for this socket alone, a send and a receive transport on it, and consumes the
 * test video it produces itself (a loopback), so the browser can measure how its link carries media to the SFU
 * and back. One test per socket; `network-test:start` again replaces the previous one. The router closes on
 * `network-test:stop`, when the socket goes, and after a hard time limit, whichever comes first. Nothing of it is
 * written to records: it carries no patient data.
 */
const transportAnswer = sfuControlMethods.createWebRtcTransport.response;
const done = z.object({ done: z.literal(true) });

export const networkTestRequests = {
  /** A fresh loopback router for this socket: its capabilities and both transports (with the TURN servers). */
  'network-test:start': {
    request: null,
    ack: z.object({
      rtpCapabilities: rtpCapabilitiesSchema,
      send: transportAnswer,
      recv: transportAnswer,
      /** When the SFU closes the test by itself, in milliseconds from now. */
      expiresInMs: z.number().int().positive(),
    }),
  },
  'network-test:connect-transport': {
    request: z.strictObject({
      transportId: sfuEntityIdSchema,
      dtlsParameters: sfuControlMethods.connectWebRtcTransport.request.shape.dtlsParameters,
    }),
    ack: done,
  },
  /** The test media, on the send transport. */
  'network-test:produce': {
    request: z.strictObject({
      transportId: sfuEntityIdSchema,
      kind: mediaKindSchema,
      rtpParameters: rtpParametersSchema,
    }),
    ack: z.object({ producerId: sfuEntityIdSchema }),
  },
  /** The test's own producer, back on the receive transport; the consumer starts paused. */
  'network-test:consume': {
    request: z.strictObject({ producerId: sfuEntityIdSchema, rtpCapabilities: rtpCapabilitiesSchema }),
    ack: sfuControlMethods.consume.response,
  },
  'network-test:resume-consumer': {
    request: z.strictObject({ consumerId: sfuEntityIdSchema }),
    ack: done,
  },
  /** Ends this socket's test (its router closes); `stopped: false` when it had none. */
  'network-test:stop': { request: null, ack: z.object({ stopped: z.boolean() }) },
} as const;
