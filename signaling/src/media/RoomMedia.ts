import type { RtpCapabilities } from '@telemed/shared';
import { ignoreGone, ParticipantMedia } from './ParticipantMedia.js';
import type { SfuNode } from './SfuNodes.js';

/**
 * A consultation room's media on this node: its router on the SFU node chosen when the room first needed media
 * (it stays there for the room's life), and the `ParticipantMedia` of each participant whose socket is on this
 * node. The SFU's room id is the appointment id. `close()` closes the router; it is idempotent.
 */
export class RoomMedia {
  readonly appointmentId: string;
  readonly node: SfuNode;
  readonly rtpCapabilities: RtpCapabilities;
  /** By participant id: one socket speaks for a participant, a newer one replaces it. */
  readonly #participants = new Map<string, ParticipantMedia>();
  #closed = false;

  constructor(appointmentId: string, node: SfuNode, rtpCapabilities: RtpCapabilities) {
    this.appointmentId = appointmentId;
    this.node = node;
    this.rtpCapabilities = rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  participants(): IterableIterator<ParticipantMedia> {
    return this.#participants.values();
  }

  get(participantId: string): ParticipantMedia | undefined {
    return this.#participants.get(participantId);
  }

  /** The participant's media through `socketId`; what an older socket of theirs had here is forgotten. */
  of(participantId: string, socketId: string): ParticipantMedia {
    const existing = this.#participants.get(participantId);
    if (existing && existing.socketId === socketId && !existing.closed) return existing;
    existing?.forget();
    const media = new ParticipantMedia(participantId, socketId);
    this.#participants.set(participantId, media);
    return media;
  }

  /** Forgets what the participant had through `socketId` (a newer socket's media is left alone). */
  forget(participantId: string, socketId: string): void {
    const media = this.#participants.get(participantId);
    if (!media || media.socketId !== socketId) return;
    this.#participants.delete(participantId);
    media.forget();
  }

  /** Whether anyone here has a producer or consumer (scores are worth sampling). */
  hasMedia(): boolean {
    for (const media of this.#participants.values()) if (media.hasProducersOrConsumers()) return true;
    return false;
  }

  /** Who owns `producerId`, among this room's participants. */
  producerOwner(producerId: string): ParticipantMedia | undefined {
    for (const media of this.#participants.values()) if (media.producers.has(producerId)) return media;
    return undefined;
  }

  consumerOwner(consumerId: string): ParticipantMedia | undefined {
    for (const media of this.#participants.values()) if (media.hasConsumer(consumerId)) return media;
    return undefined;
  }

  /** The router died with its node: this node's view of everyone's media goes, nothing is asked of the node. */
  forgetAll(): void {
    this.#closed = true;
    for (const media of this.#participants.values()) media.forget();
    this.#participants.clear();
  }

  /** Closes the router, and with it everyone's media on it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const media of this.#participants.values()) media.forget();
    this.#participants.clear();
    await this.node.call('closeRoom', { roomId: this.appointmentId }).catch(ignoreGone);
  }
}
