import {
  AppError,
  type RtpCapabilities,
  type RtpCodecCapability,
  type RtpCodecParameters,
  type RtpHeaderExtensionParameters,
  type RtpParameters,
} from '@telemed/shared';
import { dynamicPayloadTypes, RTP_EXT, supportedHeaderExtensions } from './supportedRtpCapabilities.js';

export function isRtxMimeType(mimeType: string): boolean {
  return /\/rtx$/i.test(mimeType);
}

type CodecLike = Pick<RtpCodecCapability, 'mimeType' | 'clockRate' | 'channels' | 'parameters'>;

/** Same codec for forwarding purposes: MIME type, clock, channels, and for H264 the packetization mode and profile. */
export function matchCodecs(a: CodecLike, b: CodecLike): boolean {
  if (a.mimeType.toLowerCase() !== b.mimeType.toLowerCase() || a.clockRate !== b.clockRate) return false;
  if (a.mimeType.toLowerCase().startsWith('audio/') && (a.channels ?? 1) !== (b.channels ?? 1)) return false;
  if (a.mimeType.toLowerCase() === 'video/h264') {
    const mode = (c: CodecLike) => Number(c.parameters?.['packetization-mode'] ?? 0);
    if (mode(a) !== mode(b)) return false;
    if (h264Profile(a) !== h264Profile(b)) return false;
  }
  return true;
}

/** Constrained baseline (42e0/42c0/4240/4d40…) and baseline decode the same for our purposes; others must match. */
function h264Profile(codec: CodecLike): string {
  const id = String(codec.parameters?.['profile-level-id'] ?? '42e01f').toLowerCase();
  const idc = id.slice(0, 2);
  return idc === '42' || (idc === '4d' && (Number.parseInt(id.slice(2, 4), 16) & 0x80) !== 0)
    ? 'baseline'
    : idc;
}

/** The router's RTP capabilities: each configured codec with a payload type and, for video, its RTX. */
export function generateRouterRtpCapabilities(mediaCodecs: RtpCodecCapability[]): RtpCapabilities {
  const used = new Set<number>();
  for (const c of mediaCodecs) if (c.preferredPayloadType !== undefined) used.add(c.preferredPayloadType);
  const free = dynamicPayloadTypes.filter((pt) => !used.has(pt));
  const next = () => {
    const pt = free.shift();
    if (pt === undefined)
      throw new AppError('VALIDATION_FAILED', 'Too many codecs: no dynamic payload type left');
    return pt;
  };
  const codecs: RtpCodecCapability[] = [];
  for (const codec of mediaCodecs) {
    if (isRtxMimeType(codec.mimeType)) continue;
    const preferredPayloadType = codec.preferredPayloadType ?? next();
    codecs.push({
      ...codec,
      preferredPayloadType,
      parameters: { ...(codec.parameters ?? {}) },
      rtcpFeedback: [...(codec.rtcpFeedback ?? [])],
    });
    if (codec.kind === 'video') {
      codecs.push({
        kind: 'video',
        mimeType: 'video/rtx',
        preferredPayloadType: next(),
        clockRate: codec.clockRate,
        parameters: { apt: preferredPayloadType },
        rtcpFeedback: [],
      });
    }
  }
  return { codecs, headerExtensions: supportedHeaderExtensions.map((e) => ({ ...e })) };
}

export interface ProducerCodecMapping {
  /** The producer's media codec (as the browser sends it). */
  codec: RtpCodecParameters;
  rtxPayloadType: number | undefined;
  /** The matching router codec. */
  routerCodec: RtpCodecCapability;
}

/** Matches the producer's media codecs to the router's; the first matching one is what the browser sends. */
export function getProducerCodecMapping(
  kind: 'audio' | 'video',
  rtpParameters: RtpParameters,
  routerCaps: RtpCapabilities,
): ProducerCodecMapping[] {
  const mappings: ProducerCodecMapping[] = [];
  for (const codec of rtpParameters.codecs) {
    if (isRtxMimeType(codec.mimeType)) continue;
    if (!codec.mimeType.toLowerCase().startsWith(`${kind}/`)) {
      throw new AppError('VALIDATION_FAILED', `Codec ${codec.mimeType} does not match producer kind ${kind}`);
    }
    const routerCodec = routerCaps.codecs?.find((rc) => rc.kind === kind && matchCodecs(rc, codec));
    if (!routerCodec) continue;
    const rtx = rtpParameters.codecs.find(
      (c) => isRtxMimeType(c.mimeType) && Number(c.parameters?.apt) === codec.payloadType,
    );
    mappings.push({ codec, rtxPayloadType: rtx?.payloadType, routerCodec });
  }
  if (mappings.length === 0) {
    const names = rtpParameters.codecs.map((c) => c.mimeType).join(', ');
    throw new AppError(
      'UNPROCESSABLE',
      `None of the producer's codecs (${names}) is supported by the router`,
    );
  }
  return mappings;
}

/** Whether consumer capabilities contain the producer's codec with the router's payload type. */
export function findConsumerCodec(
  mapping: ProducerCodecMapping,
  caps: RtpCapabilities,
): { codec: RtpCodecCapability; rtx: RtpCodecCapability | undefined } | undefined {
  const codec = caps.codecs?.find(
    (c) =>
      !isRtxMimeType(c.mimeType) &&
      matchCodecs(c, mapping.routerCodec) &&
      (c.preferredPayloadType === undefined ||
        c.preferredPayloadType === mapping.routerCodec.preferredPayloadType),
  );
  if (!codec) return undefined;
  const pt = mapping.routerCodec.preferredPayloadType;
  const rtx = caps.codecs?.find((c) => isRtxMimeType(c.mimeType) && Number(c.parameters?.apt) === pt);
  return { codec, rtx };
}

export interface ConsumerRtpSetup {
  rtpParameters: RtpParameters;
  payloadType: number;
  rtxPayloadType: number | undefined;
  ssrc: number;
  rtxSsrc: number | undefined;
  /** Header extension ids the consumer's packets carry. */
  extIds: { mid?: number; absSendTime?: number; audioLevel?: number };
  useNack: boolean;
  useRemb: boolean;
}

/** The consumer's RTP parameters (router payload types and header extension ids, fresh SSRCs), mediasoup-style. */
export function getConsumerRtpSetup(params: {
  kind: 'audio' | 'video';
  mid: string;
  mapping: ProducerCodecMapping;
  routerCaps: RtpCapabilities;
  consumerCaps: RtpCapabilities;
  cname: string;
  /** `<stream id> <track id>`: audio and video of one sender share the stream id, so the browser syncs them. */
  msid: string;
  randomSsrc: () => number;
}): ConsumerRtpSetup {
  const { kind, mid, mapping, routerCaps, consumerCaps } = params;
  const found = findConsumerCodec(mapping, consumerCaps);
  if (!found) {
    throw new AppError('UNPROCESSABLE', `The consumer cannot receive ${mapping.routerCodec.mimeType}`);
  }
  const payloadType = mapping.routerCodec.preferredPayloadType as number;
  const consumerFb = found.codec.rtcpFeedback ?? [];
  const rtcpFeedback = (mapping.routerCodec.rtcpFeedback ?? []).filter(
    (fb) =>
      fb.type !== 'transport-cc' &&
      consumerFb.some((c) => c.type === fb.type && (c.parameter ?? '') === (fb.parameter ?? '')),
  );
  const codecs: RtpCodecParameters[] = [
    {
      mimeType: mapping.routerCodec.mimeType,
      payloadType,
      clockRate: mapping.routerCodec.clockRate,
      ...(mapping.routerCodec.channels ? { channels: mapping.routerCodec.channels } : {}),
      parameters: { ...(mapping.codec.parameters ?? {}) },
      rtcpFeedback,
    },
  ];
  const rtxRouter = routerCaps.codecs?.find(
    (c) => isRtxMimeType(c.mimeType) && Number(c.parameters?.apt) === payloadType,
  );
  const rtxPayloadType = found.rtx && rtxRouter ? (rtxRouter.preferredPayloadType as number) : undefined;
  if (rtxPayloadType !== undefined) {
    codecs.push({
      mimeType: `${kind}/rtx`,
      payloadType: rtxPayloadType,
      clockRate: mapping.routerCodec.clockRate,
      parameters: { apt: payloadType },
      rtcpFeedback: [],
    });
  }
  const wanted =
    kind === 'audio'
      ? [RTP_EXT.mid, RTP_EXT.absSendTime, RTP_EXT.audioLevel]
      : [RTP_EXT.mid, RTP_EXT.absSendTime];
  const headerExtensions: RtpHeaderExtensionParameters[] = [];
  const extIds: ConsumerRtpSetup['extIds'] = {};
  for (const uri of wanted) {
    const routerExt = routerCaps.headerExtensions?.find((e) => e.kind === kind && e.uri === uri);
    const consumerExt = consumerCaps.headerExtensions?.find((e) => e.kind === kind && e.uri === uri);
    if (!routerExt || !consumerExt) continue;
    headerExtensions.push({ uri, id: routerExt.preferredId, encrypt: false, parameters: {} });
    if (uri === RTP_EXT.mid) extIds.mid = routerExt.preferredId;
    else if (uri === RTP_EXT.absSendTime) extIds.absSendTime = routerExt.preferredId;
    else extIds.audioLevel = routerExt.preferredId;
  }
  const ssrc = params.randomSsrc();
  const rtxSsrc = rtxPayloadType !== undefined ? params.randomSsrc() : undefined;
  return {
    rtpParameters: {
      mid,
      codecs,
      headerExtensions,
      encodings: [rtxSsrc !== undefined ? { ssrc, rtx: { ssrc: rtxSsrc } } : { ssrc }],
      rtcp: { cname: params.cname, reducedSize: true, mux: true },
      msid: params.msid,
    },
    payloadType,
    rtxPayloadType,
    ssrc,
    rtxSsrc,
    extIds,
    useNack: rtcpFeedback.some((fb) => fb.type === 'nack' && !fb.parameter),
    useRemb: rtcpFeedback.some((fb) => fb.type === 'goog-remb'),
  };
}
