import { z } from 'zod';

/**
 * RTP capabilities and parameters in mediasoup's shape (what mediasoup-client sends and expects).
 * Objects are loose: browsers and mediasoup-client versions add fields the SFU must pass through untouched.
 */
export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

const codecParameterValue = z.unknown();

export const rtcpFeedbackSchema = z.looseObject({
  type: z.string().min(1),
  parameter: z.string().optional(),
});
export type RtcpFeedback = z.infer<typeof rtcpFeedbackSchema>;

export const rtpCodecCapabilitySchema = z.looseObject({
  kind: mediaKindSchema,
  mimeType: z
    .string()
    .regex(/^(audio|video)\/[\w.-]+$/i, { message: 'expected a MIME type such as video/VP8' }),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: z.record(z.string(), codecParameterValue).optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).optional(),
});
export type RtpCodecCapability = z.infer<typeof rtpCodecCapabilitySchema>;

export const rtpHeaderExtensionSchema = z.looseObject({
  kind: mediaKindSchema,
  uri: z.string().min(1),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});
export type RtpHeaderExtension = z.infer<typeof rtpHeaderExtensionSchema>;

export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(rtpCodecCapabilitySchema).optional(),
  headerExtensions: z.array(rtpHeaderExtensionSchema).optional(),
});
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;

export const rtpCodecParametersSchema = z.looseObject({
  mimeType: z
    .string()
    .regex(/^(audio|video)\/[\w.-]+$/i, { message: 'expected a MIME type such as video/VP8' }),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: z.record(z.string(), codecParameterValue).optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).optional(),
});
export type RtpCodecParameters = z.infer<typeof rtpCodecParametersSchema>;

export const rtpHeaderExtensionParametersSchema = z.looseObject({
  uri: z.string().min(1),
  id: z.number().int().min(1).max(255),
  encrypt: z.boolean().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type RtpHeaderExtensionParameters = z.infer<typeof rtpHeaderExtensionParametersSchema>;

export const rtpEncodingParametersSchema = z.looseObject({
  ssrc: z.number().int().min(0).max(0xffffffff).optional(),
  rid: z.string().min(1).max(16).optional(),
  codecPayloadType: z.number().int().min(0).max(127).optional(),
  rtx: z.looseObject({ ssrc: z.number().int().min(0).max(0xffffffff) }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().optional(),
  scaleResolutionDownBy: z.number().positive().optional(),
  maxBitrate: z.number().positive().optional(),
  active: z.boolean().optional(),
});
export type RtpEncodingParameters = z.infer<typeof rtpEncodingParametersSchema>;

export const rtcpParametersSchema = z.looseObject({
  cname: z.string().optional(),
  reducedSize: z.boolean().optional(),
  mux: z.boolean().optional(),
});
export type RtcpParameters = z.infer<typeof rtcpParametersSchema>;

export const rtpParametersSchema = z.looseObject({
  mid: z.string().min(1).max(32).optional(),
  codecs: z.array(rtpCodecParametersSchema).min(1),
  headerExtensions: z.array(rtpHeaderExtensionParametersSchema).optional(),
  encodings: z.array(rtpEncodingParametersSchema).optional(),
  rtcp: rtcpParametersSchema.optional(),
});
export type RtpParameters = z.infer<typeof rtpParametersSchema>;

export const iceParametersSchema = z.object({
  usernameFragment: z.string().min(1),
  password: z.string().min(1),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof iceParametersSchema>;

/** mediasoup-client reads `address` (3.2x) and `ip` (older), so both are sent. */
export const iceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number().int().nonnegative(),
  ip: z.string(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int().min(1).max(65535),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['passive', 'active', 'so']).optional(),
});
export type IceCandidate = z.infer<typeof iceCandidateSchema>;

export const dtlsRoleSchema = z.enum(['auto', 'client', 'server']);
export type DtlsRole = z.infer<typeof dtlsRoleSchema>;

export const dtlsParametersSchema = z.object({
  role: dtlsRoleSchema.optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.string().regex(/^sha-(1|224|256|384|512)$/i, { message: 'expected sha-256 or similar' }),
        value: z
          .string()
          .regex(/^([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}$/, { message: 'expected hex bytes joined by ":"' }),
      }),
    )
    .min(1),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;
