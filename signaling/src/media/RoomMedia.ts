import type { RtpCapabilities } from '@telemed/shared';
import { ignoreGone, ParticipantMedia } from './ParticipantMedia.js';
import type { SfuNode } from './SfuNodes.js';

/**
 * A consultation room's media on this node: its router on the SFU node chosen when the room first needed media
 * (it stays there for the room's life), and each participant's `ParticipantMedia`. The SFU's room id is the
 * appointment id. `close()` closes every participant's media and then the router; it is idempotent.
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

  /** The participant's media through `socketId`; media left by an older socket of theirs is closed first. */
  async of(participantId: string, socketId: string): Promise<ParticipantMedia> {
    const existing = this.#participants.get(participantId);
    if (existing && existing.socketId === socketId && !existing.closed) return existing;
    if (existing) await this.removeParticipant(participantId, existing.socketId);
    const media = new ParticipantMedia(this.appointmentId, participantId, socketId, this.node);
    this.#participants.set(participantId, media);
    return media;
  }

  /** Closes what the participant had through `socketId` (a newer socket's media is left alone). */
  async removeParticipant(participantId: string, socketId: string): Promise<ParticipantMedia | undefined> {
    const media = this.#participants.get(participantId);
    if (!media || media.socketId !== socketId) return undefined;
    this.#participants.delete(participantId);
    await media.close();
    return media;
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const participants = [...this.#participants.values()];
    this.#participants.clear();
    await Promise.all(participants.map((media) => media.close().catch(() => undefined)));
    await this.node.call('closeRoom', { roomId: this.appointmentId }).catch(ignoreGone);
  }
}
