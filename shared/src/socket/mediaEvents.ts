import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import {
  type MediaKind,
  mediaKindSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from '../sfu/rtpParameters.js';
import {
  consumerLayersSchema,
  sfuControlMethods,
  sfuEntityIdSchema,
  transportDirectionSchema,
} from '../sfu/sfuControlApi.js';

/**
 * The media part of the signaling protocol (spread into the table of `signalingEvents.ts`). The browser never
 * reaches the SFU's control API: signaling calls it for the browser, after checking that the caller is joined
 * (admitted) to the room and that every transport, producer and consumer id is the caller's own.
 *
 * Consuming is client-driven: `media:router-capabilities` lists the producers already in the room,
 * `media:new-producer` announces each later one, and the browser asks `media:consume` with its own
 * RTP capabilities for each it wants. Consumers start paused; the browser resumes them once its side exists
 * (mediasoup's advice, so that no keyframe is lost before the track is ready).
 */
const inRoom = { appointmentId: objectIdSchema };

/** What a producer sends, so the other side can tell a screen share (shown large) from a camera. */
export const mediaSourceSchema = z.enum(['camera', 'microphone', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

/** The kinds each source may send: a screen share may carry its audio too. */
const kindsOfSource: Record<MediaSource, readonly MediaKind[]> = {
  camera: ['video'],
  microphone: ['audio'],
  screen: ['video', 'audio'],
};

/** A producer's source when its appData names none: the microphone for audio, the camera for video. */
export function defaultMediaSource(kind: MediaKind): MediaSource {
  return kind === 'audio' ? 'microphone' : 'camera';
}

/** The producer's own data; `source` (when given) must be one of the sources, passed on to the others. */
/**
 * Why a producer is paused: `user` (the person turned the camera off or muted) or `bandwidth` (the sender's own
 * uplink cannot carry the video beside the audio: the browser paused it, and resumes it by itself).
 */
export const producerPauseReasonSchema = z.enum(['user', 'bandwidth']);
export type ProducerPauseReason = z.infer<typeof producerPauseReasonSchema>;

const produceAppDataSchema = z.object({ source: mediaSourceSchema.optional() }).catchall(z.json()).optional();

/** A producer someone else in the room has, which the caller may consume. */
export const roomProducerSchema = z.object({
  producerId: sfuEntityIdSchema,
  participantId: objectIdSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
});
export type RoomProducer = z.infer<typeof roomProducerSchema>;

const transportAnswer = sfuControlMethods.createWebRtcTransport.response;
const consumeAnswer = sfuControlMethods.consume.response;
const done = z.object({ done: z.literal(true) });

export const mediaRequests = {
  /** The room's router capabilities (the router is created on the least-loaded SFU node at first use). */
  'media:router-capabilities': {
    request: z.strictObject(inRoom),
    ack: z.object({
      rtpCapabilities: rtpCapabilitiesSchema,
      producers: z.array(roomProducerSchema),
    }),
  },
  'media:create-transport': {
    request: z.strictObject({ ...inRoom, direction: transportDirectionSchema }),
    ack: transportAnswer,
  },
  'media:connect-transport': {
    request: z.strictObject({
      ...inRoom,
      transportId: sfuEntityIdSchema,
      dtlsParameters: sfuControlMethods.connectWebRtcTransport.request.shape.dtlsParameters,
    }),
    ack: done,
  },
  'media:produce': {
    request: z
      .strictObject({
        ...inRoom,
        transportId: sfuEntityIdSchema,
        kind: mediaKindSchema,
        rtpParameters: rtpParametersSchema,
        appData: produceAppDataSchema,
      })
      .refine(({ kind, appData }) => !appData?.source || kindsOfSource[appData.source].includes(kind), {
        path: ['appData', 'source'],
        message: 'the source does not send this kind: a microphone sends audio, a camera video',
      }),
    ack: z.object({ producerId: sfuEntityIdSchema }),
  },
  'media:consume': {
    request: z.strictObject({
      ...inRoom,
      producerId: sfuEntityIdSchema,
      rtpCapabilities: rtpCapabilitiesSchema,
      preferredLayers: consumerLayersSchema.optional(),
    }),
    ack: consumeAnswer.extend({ transportId: sfuEntityIdSchema }),
  },
  'media:resume-consumer': {
    request: z.strictObject({ ...inRoom, consumerId: sfuEntityIdSchema }),
    ack: done,
  },
  /** `reason` (default `user`) is told to the others in the room with `media:producer-paused`. */
  'media:pause-producer': {
    request: z.strictObject({
      ...inRoom,
      producerId: sfuEntityIdSchema,
      reason: producerPauseReasonSchema.optional(),
    }),
    ack: done,
  },
  'media:resume-producer': {
    request: z.strictObject({ ...inRoom, producerId: sfuEntityIdSchema }),
    ack: done,
  },
  'media:close-producer': {
    request: z.strictObject({ ...inRoom, producerId: sfuEntityIdSchema }),
    ack: done,
  },
  'media:set-preferred-layers': {
    request: z.strictObject({ ...inRoom, consumerId: sfuEntityIdSchema, ...consumerLayersSchema.shape }),
    ack: done,
  },
  'media:restart-ice': {
    request: z.strictObject({ ...inRoom, transportId: sfuEntityIdSchema }),
    ack: sfuControlMethods.restartIce.response,
  },
  /**
   * Closes one of the caller's transports, with its producers and consumers (the others are told its producers
   * closed): the browser's fallback when an ICE restart could not bring media back, before it makes new ones.
   */
  'media:close-transport': {
    request: z.strictObject({ ...inRoom, transportId: sfuEntityIdSchema }),
    ack: done,
  },
  /**
   * After `room:join` with `resume` (the socket came back through another signaling node): this node adopts the
   * caller's transports, producers and consumers as the SFU still holds them, so media never stops. `resumed`
   * false: the SFU no longer holds them all (what was left is closed); the browser makes its media anew.
   * `producers` are the others' producers now, for the browser to consume those it missed while away.
   */
  'media:resume': {
    request: z.strictObject(inRoom),
    ack: z.object({ resumed: z.boolean(), producers: z.array(roomProducerSchema) }),
  },
} as const;

export const mediaNotifications = {
  /** To everyone else in the room: a producer they may now consume. */
  'media:new-producer': z.object({ appointmentId: objectIdSchema, producer: roomProducerSchema }),
  /** To the owner of a consumer the SFU closed (its producer or transport closed). */
  'media:consumer-closed': z.object({
    appointmentId: objectIdSchema,
    consumerId: sfuEntityIdSchema,
    reason: z.enum(['producerclose', 'transportclose', 'closed']),
  }),
  /** To the room: a producer closed (its owner closed it, left, or its transport died). */
  'media:producer-closed': z.object({
    appointmentId: objectIdSchema,
    producerId: sfuEntityIdSchema,
    participantId: objectIdSchema,
  }),
  /** To the owner of a simulcast consumer whose forwarded layers changed (null: none forwarded). */
  'media:layers-changed': z.object({
    appointmentId: objectIdSchema,
    consumerId: sfuEntityIdSchema,
    layers: consumerLayersSchema.nullable(),
  }),
  /**
   * To the owner of a producer or consumer whose score (0-10, the link's quality as the SFU sees it) changed;
   * sampled every few seconds, as the SFU's event log carries no scores.
   */
  'media:score': z.discriminatedUnion('of', [
    z.object({
      of: z.literal('consumer'),
      appointmentId: objectIdSchema,
      consumerId: sfuEntityIdSchema,
      score: z.number().min(0).max(10),
    }),
    z.object({
      of: z.literal('producer'),
      appointmentId: objectIdSchema,
      producerId: sfuEntityIdSchema,
      score: z.number().min(0).max(10),
    }),
  ]),
  /**
   * The audio-only fallback, told to both sides: to the viewer (`side: 'viewer'`, their consumer) that video
   * is paused because their own connection is weak, and to the sender (`side: 'sender'`, their producer)
   * that the other side receives audio only. `paused: false` when video came back by itself.
   */
  'media:video-bandwidth': z.discriminatedUnion('side', [
    z.object({
      side: z.literal('viewer'),
      appointmentId: objectIdSchema,
      consumerId: sfuEntityIdSchema,
      producerId: sfuEntityIdSchema,
      /** Whose video it is. */
      participantId: objectIdSchema,
      paused: z.boolean(),
    }),
    z.object({
      side: z.literal('sender'),
      appointmentId: objectIdSchema,
      producerId: sfuEntityIdSchema,
      paused: z.boolean(),
    }),
  ]),
  /**
   * To everyone joined in the room: the SFU node holding the room's router died, and the room was placed on
   * another node. Every transport, producer and consumer of the room is gone: set media up again from
   * `media:router-capabilities` (the room's participants and records are untouched).
   */
  'media:reset': z.object({ appointmentId: objectIdSchema, reason: z.enum(['sfu-node-lost']) }),
  /**
   * To everyone else joined in the room: a participant paused (`paused: true`, with why) or resumed one of their
   * producers. `reason: 'bandwidth'` is the sender's own weak uplink (their video comes back by itself), which a
   * screen shows as such rather than as a camera turned off.
   */
  'media:producer-paused': z.object({
    appointmentId: objectIdSchema,
    producerId: sfuEntityIdSchema,
    participantId: objectIdSchema,
    paused: z.boolean(),
    reason: producerPauseReasonSchema.optional(),
  }),
} as const;
export type TransportDirection = z.infer<typeof transportDirectionSchema>;
