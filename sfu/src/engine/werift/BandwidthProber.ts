import { absSendTime24 } from './rtpUtils.js';

/** mediasoup-client gives every receiving transport this stream (mid "probator") for bandwidth probes. */
export const PROBATOR_SSRC = 1234;
export const PROBATOR_PAYLOAD_TYPE = 127;
const PROBATOR_MID = Buffer.from('probator');
/** The most padding one RTP packet can declare (its last byte counts the padding). */
const PADDING_BYTES = 255;
/** Chromium counts padding in its receive-side estimate but never decodes it. */
const PADDING = Buffer.alloc(PADDING_BYTES);
PADDING[PADDING_BYTES - 1] = PADDING_BYTES;
/**
 * The first probes: packet trains ~2 ms and ~1 ms apart (about 1 and 2 Mb/s). Chromium measures a train
 * only while it has no estimate yet and only when its packets arrive at least 1 ms apart, so they are paced
 * by timer rather than sent in one burst.
 */
const INITIAL_TRAINS = [
  { spacingMs: 2, packets: 10 },
  { spacingMs: 1, packets: 15 },
];
const TRAIN_GAP_MS = 30;
/**
 * Chromium sends its first estimate once it has one: until then the trains are sent again, in case a busy
 * machine spaced them too unevenly to be measured. It stops measuring trains 5 s after the first packet.
 */
const INITIAL_ATTEMPTS = 3;
const INITIAL_RETRY_MS = 1000;
const MAX_PADDING_BPS = 2_500_000;
/** Chromium's receive-side estimate grows by 8 % a second at most, so doubling it takes about 9 s. */
const MAX_PADDING_MS = 20_000;
const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;
/** The receiver reports more loss than this: the link is full, stop adding to it. */
const LOSS_LIMIT = 0.05;
/** The estimate only falls when the receiver sees its queue grow: the probe found the link's limit. */
const ESTIMATE_DROP = 0.95;
/** At most this much padding goes out in one tick after a late timer, so a stall does not become a burst. */
const MAX_BURST_BYTES = 16 * 1024;

/** What the prober needs from its transport. */
export interface ProbationLink {
  /** Sends one packet: header bytes (copied before return) and payload. */
  sendRtp(header: Buffer, payload: Buffer): void;
}

/** What the transport knows at each tick. */
export interface ProbeInput {
  /** Video is being forwarded to the receiver (so it has set up the probator stream). */
  videoFlowing: boolean;
  /** Bits per second the video consumers lack to take their next simulcast layer; 0 when none waits. */
  demandBps: number;
  /** The receiver's own estimate (REMB); undefined until it has sent one. */
  estimateBps: number | undefined;
  /** The worst loss fraction (0–1) the receiver reports for the video it gets. */
  lossFraction: number;
}

/**
 * Probes a receiver's bandwidth with padding on the probator stream, so that its estimate (REMB) lets
 * consumers take the simulcast layers the link can carry:
 * - when video starts: short paced trains that Chromium measures to set its first estimate, as a browser
 *   sender does (again each second, three times at most, until the estimate comes); without them the first
 *   estimate is whatever the lowest layer brought in;
 * - while the estimate holds a consumer below a layer the producer sends: padding that makes up the
 *   difference, because Chromium's estimate never rises above 1.5× what arrives. It stops when the receiver
 *   reports loss or a falling estimate, and waits longer after each probe that did not succeed.
 */
export class BandwidthProber {
  readonly #link: ProbationLink;
  readonly #header: Buffer;
  readonly #absSendTimeOffset: number;
  #initialAttempts = 0;
  #nextInitialMs = 0;
  #trainTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #padding = false;
  #startMs = 0;
  #lastMs = 0;
  #peakEstimate = 0;
  #creditBytes = 0;
  #nextStartMs = 0;
  #backoffMs = FIRST_BACKOFF_MS;
  #seq = 0;

  /** Returns undefined when the receiver did not negotiate abs-send-time, which its estimator needs. */
  static create(
    link: ProbationLink,
    extIds: { mid?: number; absSendTime?: number },
  ): BandwidthProber | undefined {
    if (extIds.absSendTime === undefined) return undefined;
    return new BandwidthProber(link, extIds.absSendTime, extIds.mid);
  }

  private constructor(link: ProbationLink, absSendTimeId: number, midId: number | undefined) {
    this.#link = link;
    const extensions = Buffer.alloc(16);
    let o = 0;
    if (midId !== undefined) {
      extensions[o++] = (midId << 4) | (PROBATOR_MID.length - 1);
      o += PROBATOR_MID.copy(extensions, o);
    }
    extensions[o] = (absSendTimeId << 4) | 2;
    this.#absSendTimeOffset = 16 + o + 1;
    o += 4;
    const words = Math.ceil(o / 4);
    this.#header = Buffer.alloc(16 + words * 4);
    this.#header[0] = 0xb0; // version 2, padding, extension
    this.#header[1] = PROBATOR_PAYLOAD_TYPE;
    this.#header.writeUInt32BE(PROBATOR_SSRC, 8);
    this.#header.writeUInt16BE(0xbede, 12);
    this.#header.writeUInt16BE(words, 14);
    extensions.copy(this.#header, 16, 0, o);
  }

  /** Padding is being sent because a consumer waits for bandwidth. */
  get padding(): boolean {
    return this.#padding;
  }

  tick(nowMs: number, input: ProbeInput): void {
    if (this.#closed) return;
    if (
      input.videoFlowing &&
      input.estimateBps === undefined &&
      this.#initialAttempts < INITIAL_ATTEMPTS &&
      nowMs >= this.#nextInitialMs
    ) {
      this.#initialAttempts++;
      this.#nextInitialMs = nowMs + INITIAL_RETRY_MS;
      clearTimeout(this.#trainTimer);
      this.#sendTrain(0);
    }
    if (!this.#padding) {
      if (
        input.demandBps > 0 &&
        input.estimateBps !== undefined &&
        input.lossFraction <= LOSS_LIMIT &&
        nowMs >= this.#nextStartMs
      ) {
        this.#padding = true;
        this.#startMs = nowMs;
        this.#lastMs = nowMs;
        this.#peakEstimate = input.estimateBps;
        this.#creditBytes = 0;
      }
      return;
    }
    if (input.demandBps <= 0) {
      this.#padding = false;
      this.#backoffMs = FIRST_BACKOFF_MS;
      return;
    }
    const estimate = input.estimateBps ?? 0;
    if (
      input.lossFraction > LOSS_LIMIT ||
      estimate < this.#peakEstimate * ESTIMATE_DROP ||
      nowMs - this.#startMs > MAX_PADDING_MS
    ) {
      this.#padding = false;
      this.#nextStartMs = nowMs + this.#backoffMs;
      this.#backoffMs = Math.min(MAX_BACKOFF_MS, this.#backoffMs * 2);
      return;
    }
    this.#peakEstimate = Math.max(this.#peakEstimate, estimate);
    const rate = Math.min(MAX_PADDING_BPS, input.demandBps);
    this.#creditBytes = Math.min(
      MAX_BURST_BYTES,
      this.#creditBytes + (rate / 8) * ((nowMs - this.#lastMs) / 1000),
    );
    this.#lastMs = nowMs;
    const packetBytes = this.#header.length + PADDING_BYTES;
    while (this.#creditBytes >= packetBytes) {
      this.#send(nowMs);
      this.#creditBytes -= packetBytes;
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#trainTimer);
  }

  #sendTrain(index: number): void {
    const train = INITIAL_TRAINS[index];
    if (!train) return;
    let sent = 0;
    const next = (): void => {
      if (this.#closed) return;
      this.#send(performance.now());
      sent++;
      this.#trainTimer =
        sent < train.packets
          ? setTimeout(next, train.spacingMs)
          : setTimeout(() => this.#sendTrain(index + 1), TRAIN_GAP_MS);
    };
    next();
  }

  #send(nowMs: number): void {
    const h = this.#header;
    this.#seq = (this.#seq + 1) & 0xffff;
    h.writeUInt16BE(this.#seq, 2);
    h.writeUInt32BE(Math.round(nowMs * 90) >>> 0, 4);
    h.writeUIntBE(absSendTime24(nowMs), this.#absSendTimeOffset, 3);
    this.#link.sendRtp(h, PADDING);
  }
}
