import { z } from 'zod';
import { roomIdSchema } from '../identifiers.js';
import {
  dtlsParametersSchema,
  iceCandidateSchema,
  iceParametersSchema,
  mediaKindSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './rtpParameters.js';

/**
 * The SFU control API: the signaling server calls `POST /v1/<method>` with a JSON body and the header
 * `authorization: Bearer <SFU_CONTROL_SECRET>`. Success answers 200 with the method's response; failure
 * answers `{error: {code, message}}` with the catalog status (400, 401, 404, 409, 503).
 */
export const sfuEntityIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected an identifier returned by the SFU' });

const inRoom = { roomId: roomIdSchema };
const appDataSchema = z.record(z.string(), z.unknown()).optional();
const empty = z.object({});

export const transportDirectionSchema = z.enum(['send', 'recv']);

export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

export const producerScoreSchema = z.object({
  ssrc: z.number(),
  rid: z.string().optional(),
  score: z.number().min(0).max(10),
});
export const consumerScoreSchema = z.object({
  score: z.number().min(0).max(10),
  producerScore: z.number().min(0).max(10),
  producerScores: z.array(z.number()),
});
export const consumerLayersSchema = z.object({
  spatialLayer: z.number().int().min(0).max(2),
  temporalLayer: z.number().int().min(0).max(2).optional(),
});
export type ConsumerLayers = z.infer<typeof consumerLayersSchema>;

export const sfuEventSchema = z.discriminatedUnion('type', [
  z.object({
    seq: z.number(),
    type: z.literal('transportclose'),
    roomId: z.string(),
    transportId: z.string(),
    reason: z.string(),
  }),
  z.object({ seq: z.number(), type: z.literal('producerclose'), roomId: z.string(), producerId: z.string() }),
  z.object({
    seq: z.number(),
    type: z.literal('consumerclose'),
    roomId: z.string(),
    consumerId: z.string(),
    reason: z.enum(['producerclose', 'transportclose', 'closed']),
  }),
  z.object({
    seq: z.number(),
    type: z.literal('layerschange'),
    roomId: z.string(),
    consumerId: z.string(),
    layers: consumerLayersSchema.nullable(),
  }),
  z.object({ seq: z.number(), type: z.literal('activespeaker'), roomId: z.string(), producerId: z.string() }),
  z.object({ seq: z.number(), type: z.literal('roomclose'), roomId: z.string() }),
  /**
   * The audio-only fallback: a video consumer paused for want of bandwidth (the receiver's estimate leaves it
   * less than the lowest layer needs; its audio continues), or resumed once the estimate recovered.
   */
  z.object({
    seq: z.number(),
    type: z.literal('consumerbandwidth'),
    roomId: z.string(),
    consumerId: z.string(),
    producerId: z.string(),
    paused: z.boolean(),
    availableBitrate: z.number().optional(),
    requiredBitrate: z.number().optional(),
  }),
]);
export type SfuEvent = z.infer<typeof sfuEventSchema>;

export const sfuLoadSchema = z.object({
  engine: z.enum(['werift', 'mediasoup']),
  rooms: z.number().int(),
  transports: z.number().int(),
  producers: z.number().int(),
  consumers: z.number().int(),
  /** Bits per second received from producers plus sent to consumers, over the last seconds. */
  bitrate: z.object({ inBps: z.number(), outBps: z.number() }),
  /** Share of one core used by this process since the previous report (1 = one full core). */
  cpu: z.number(),
  cores: z.number().int(),
  rssBytes: z.number(),
});
export type SfuLoad = z.infer<typeof sfuLoadSchema>;

export const transportStatsSchema = z.object({
  transportId: z.string(),
  iceState: z.string(),
  dtlsState: z.string(),
  bytesReceived: z.number(),
  bytesSent: z.number(),
  availableOutgoingBitrate: z.number().optional(),
});
export const producerStatsSchema = z.object({
  producerId: z.string(),
  kind: mediaKindSchema,
  paused: z.boolean(),
  streams: z.array(
    z.object({
      ssrc: z.number(),
      rid: z.string().optional(),
      packetsReceived: z.number(),
      packetsLost: z.number(),
      bitrate: z.number(),
      nackCount: z.number(),
      pliCount: z.number(),
      score: z.number(),
    }),
  ),
});
export const consumerStatsSchema = z.object({
  consumerId: z.string(),
  producerId: z.string(),
  kind: mediaKindSchema,
  paused: z.boolean(),
  ssrc: z.number(),
  packetsSent: z.number(),
  retransmittedPackets: z.number(),
  nackCount: z.number(),
  pliCount: z.number(),
  currentLayers: consumerLayersSchema.nullable(),
  score: z.number(),
});

/** Every control method with its request and response schema; the path is `/v1/<method>`. */
export const sfuControlMethods = {
  createRoom: {
    request: z.object(inRoom),
    response: z.object({
      roomId: roomIdSchema,
      created: z.boolean(),
      rtpCapabilities: rtpCapabilitiesSchema,
    }),
  },
  closeRoom: { request: z.object(inRoom), response: z.object({ closed: z.boolean() }) },
  getRouterRtpCapabilities: {
    request: z.object(inRoom),
    response: z.object({ rtpCapabilities: rtpCapabilitiesSchema }),
  },
  createWebRtcTransport: {
    request: z.object({ ...inRoom, direction: transportDirectionSchema, appData: appDataSchema }),
    response: z.object({
      transportId: sfuEntityIdSchema,
      iceParameters: iceParametersSchema,
      iceCandidates: z.array(iceCandidateSchema),
      dtlsParameters: dtlsParametersSchema,
      iceServers: z.array(iceServerSchema),
    }),
  },
  connectWebRtcTransport: {
    request: z.object({ ...inRoom, transportId: sfuEntityIdSchema, dtlsParameters: dtlsParametersSchema }),
    response: empty,
  },
  restartIce: {
    request: z.object({ ...inRoom, transportId: sfuEntityIdSchema }),
    response: z.object({ iceParameters: iceParametersSchema }),
  },
  setMaxIncomingBitrate: {
    request: z.object({ ...inRoom, transportId: sfuEntityIdSchema, bitrate: z.number().int().min(10_000) }),
    response: empty,
  },
  closeTransport: { request: z.object({ ...inRoom, transportId: sfuEntityIdSchema }), response: empty },
  produce: {
    request: z.object({
      ...inRoom,
      transportId: sfuEntityIdSchema,
      kind: mediaKindSchema,
      rtpParameters: rtpParametersSchema,
      paused: z.boolean().optional(),
      appData: appDataSchema,
    }),
    response: z.object({ producerId: sfuEntityIdSchema }),
  },
  pauseProducer: { request: z.object({ ...inRoom, producerId: sfuEntityIdSchema }), response: empty },
  resumeProducer: { request: z.object({ ...inRoom, producerId: sfuEntityIdSchema }), response: empty },
  closeProducer: { request: z.object({ ...inRoom, producerId: sfuEntityIdSchema }), response: empty },
  consume: {
    request: z.object({
      ...inRoom,
      transportId: sfuEntityIdSchema,
      producerId: sfuEntityIdSchema,
      rtpCapabilities: rtpCapabilitiesSchema,
      preferredLayers: consumerLayersSchema.optional(),
    }),
    response: z.object({
      consumerId: sfuEntityIdSchema,
      producerId: sfuEntityIdSchema,
      kind: mediaKindSchema,
      rtpParameters: rtpParametersSchema,
      type: z.enum(['simple', 'simulcast']),
      producerPaused: z.boolean(),
    }),
  },
  pauseConsumer: { request: z.object({ ...inRoom, consumerId: sfuEntityIdSchema }), response: empty },
  resumeConsumer: { request: z.object({ ...inRoom, consumerId: sfuEntityIdSchema }), response: empty },
  closeConsumer: { request: z.object({ ...inRoom, consumerId: sfuEntityIdSchema }), response: empty },
  setConsumerPreferredLayers: {
    request: z.object({ ...inRoom, consumerId: sfuEntityIdSchema, ...consumerLayersSchema.shape }),
    response: empty,
  },
  requestConsumerKeyFrame: {
    request: z.object({ ...inRoom, consumerId: sfuEntityIdSchema }),
    response: empty,
  },
  getRoomStats: {
    request: z.object(inRoom),
    response: z.object({
      transports: z.array(transportStatsSchema),
      producers: z.array(producerStatsSchema),
      consumers: z.array(consumerStatsSchema),
    }),
  },
  /**
   * What the SFU holds of the named transports of a room (unknown ids are left out): the direction and owner
   * given when each was made, and the producers and consumers on it. A signaling node adopting a participant
   * whose socket came back through it (its old node died) takes these as the truth.
   */
  describeTransports: {
    request: z.object({ ...inRoom, transportIds: z.array(sfuEntityIdSchema).max(8) }),
    response: z.object({
      transports: z.array(
        z.object({
          transportId: z.string(),
          direction: transportDirectionSchema,
          participantId: z.string().optional(),
          producers: z.array(z.object({ producerId: z.string(), kind: mediaKindSchema })),
          consumers: z.array(
            z.object({ consumerId: z.string(), producerId: z.string(), kind: mediaKindSchema }),
          ),
        }),
      ),
    }),
  },
  getLoad: { request: empty, response: sfuLoadSchema },
  /** Long poll: answers as soon as an event newer than `afterSeq` exists, or after `waitMs` with none. */
  pollEvents: {
    request: z.object({
      afterSeq: z.number().int().min(0),
      waitMs: z.number().int().min(0).max(30_000).default(0),
    }),
    response: z.object({ events: z.array(sfuEventSchema), lastSeq: z.number().int() }),
  },
} as const;

export type SfuControlMethod = keyof typeof sfuControlMethods;
export type SfuControlRequest<M extends SfuControlMethod> = z.input<(typeof sfuControlMethods)[M]['request']>;
/** A request after validation (defaults applied): what the SFU's handlers receive. */
export type SfuControlParsedRequest<M extends SfuControlMethod> = z.infer<
  (typeof sfuControlMethods)[M]['request']
>;
export type SfuControlResponse<M extends SfuControlMethod> = z.infer<
  (typeof sfuControlMethods)[M]['response']
>;

export function sfuControlPath(method: SfuControlMethod): string {
  return `/v1/${method}`;
}
