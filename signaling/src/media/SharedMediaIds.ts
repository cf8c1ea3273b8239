import { defaultMediaSource, type RoomProducer } from '@telemed/shared';
import type { StoredParticipant, StoredProducer, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';

/** The socket that holds a participant's place: media ids are written only while it still holds it. */
export interface MediaHolder {
  participantId: string;
  socketId: string;
}

/** What a participant had on the SFU when it was taken out of the shared state. */
export interface TakenMedia {
  transportIds: string[];
  producers: StoredProducer[];
}

/**
 * Each participant's media ids in the shared room state (`StoredParticipant.transportIds`, `.producers`), so
 * that a node other than the one that made them can offer the producers to consume and, when the maker's node
 * is gone, close them. Every change is a read and write of the room under `RoomStateStore.exclusive`, the same
 * lock room operations hold, so neither drops the other's change. Taking an id out is what decides who tells
 * the room: whoever takes it out, as only one caller can.
 */
export class SharedMediaIds {
  readonly #store: RoomStateStore;

  constructor(store: RoomStateStore) {
    this.#store = store;
  }

  /** Records a transport; false when the socket no longer holds the place (the caller closes the transport). */
  async addTransport(appointmentId: string, holder: MediaHolder, transportId: string): Promise<boolean> {
    const added = await this.#change(appointmentId, holder, (participant) => {
      participant.transportIds = [...(participant.transportIds ?? []), transportId];
      return true;
    });
    return added === true;
  }

  /** Records a producer; false when the socket no longer holds the place (the caller closes the producer). */
  async addProducer(appointmentId: string, holder: MediaHolder, producer: StoredProducer): Promise<boolean> {
    const added = await this.#change(appointmentId, holder, (participant) => {
      participant.producers = [...(participant.producers ?? []), producer];
      return true;
    });
    return added === true;
  }

  /** Takes a producer out; true for the one caller that took it, who tells the room it closed. */
  async removeProducer(appointmentId: string, holder: MediaHolder, producerId: string): Promise<boolean> {
    const removed = await this.#change(appointmentId, holder, (participant) => {
      const producers = participant.producers ?? [];
      if (!producers.some((p) => p.producerId === producerId)) return undefined;
      participant.producers = producers.filter((p) => p.producerId !== producerId);
      return true;
    });
    return removed === true;
  }

  /** Takes a transport the SFU closed out. */
  async removeTransport(appointmentId: string, holder: MediaHolder, transportId: string): Promise<boolean> {
    const removed = await this.#change(appointmentId, holder, (participant) => {
      const transportIds = participant.transportIds ?? [];
      if (!transportIds.includes(transportId)) return undefined;
      participant.transportIds = transportIds.filter((id) => id !== transportId);
      return true;
    });
    return removed === true;
  }

  /**
   * Takes all of the socket's media out while it still holds the place (its media went, its place stays: a
   * socket that came back on another node). Undefined when it holds nothing: whoever removed the place took it.
   */
  takeAll(appointmentId: string, holder: MediaHolder): Promise<TakenMedia | undefined> {
    return this.#change(appointmentId, holder, (participant) => {
      const taken = mediaOf(participant);
      if (taken.transportIds.length === 0 && taken.producers.length === 0) return undefined;
      participant.transportIds = [];
      participant.producers = [];
      return taken;
    });
  }

  /**
   * Forgets every participant's media ids in the room (its SFU node died with them), when `decide` says so under
   * the room's lock: of the signaling nodes that notice the loss at once, only the first resets the room.
   */
  resetRoomIf(appointmentId: string, decide: () => Promise<boolean>): Promise<boolean> {
    return this.#store.exclusive(appointmentId, async () => {
      if (!(await decide())) return false;
      const room = await this.#store.get(appointmentId);
      if (!room) return true;
      for (const participant of room.participants) {
        participant.transportIds = [];
        participant.producers = [];
      }
      await this.#store.put(room);
      return true;
    });
  }

  /** Changes the holder's stored participant in place; `change` answers undefined when nothing changed. */
  #change<T>(
    appointmentId: string,
    { participantId, socketId }: MediaHolder,
    change: (participant: StoredParticipant) => T | undefined,
  ): Promise<T | undefined> {
    return this.#store.exclusive(appointmentId, async () => {
      const room = await this.#store.get(appointmentId);
      const participant = room?.participants.find(
        (p) => p.participantId === participantId && p.socketId === socketId,
      );
      if (!room || !participant) return undefined;
      const result = change(participant);
      if (result !== undefined) await this.#store.put(room);
      return result;
    });
  }
}

/** A stored participant's media ids, none when absent. */
export function mediaOf(participant: StoredParticipant): TakenMedia {
  return { transportIds: participant.transportIds ?? [], producers: participant.producers ?? [] };
}

/** The producers a participant is offered: those of everyone else admitted to the room, on whichever node. */
export function producersOfOthers(room: StoredRoom, participantId: string): RoomProducer[] {
  return room.participants
    .filter((p) => p.participantId !== participantId && p.status === 'joined')
    .flatMap((p) =>
      mediaOf(p).producers.map(({ producerId, kind, source }) => ({
        producerId,
        participantId: p.participantId,
        kind,
        source: source ?? defaultMediaSource(kind),
      })),
    );
}
