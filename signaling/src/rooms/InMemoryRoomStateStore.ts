import type { WaitingEntry } from '@telemed/shared';
import type { StoredRoom } from './ConsultationRoomTypes.js';
import { KeyedSerializer } from './KeyedSerializer.js';
import type { RoomStateStore } from './RoomStateStore.js';
import { waitingEntries } from './roomTransitions.js';

/** One process's rooms (`npm start`, no REDIS_URL). Rooms are copied in and out, as a remote store would. */
export class InMemoryRoomStateStore implements RoomStateStore {
  readonly #rooms = new Map<string, StoredRoom>();
  /** specialistId → their rooms' ids, so a waiting list reads only that specialist's rooms. */
  readonly #roomsOfSpecialist = new Map<string, Set<string>>();

  /**
   * `ConsultationRooms` orders its own operations on a room, but media writes its ids into the same room from
   * outside them: both go through here, so that neither's read-change-write drops the other's change.
   */
  readonly #exclusive = new KeyedSerializer();

  exclusive<T>(appointmentId: string, task: () => Promise<T>): Promise<T> {
    return this.#exclusive.run(appointmentId, task);
  }

  async get(appointmentId: string): Promise<StoredRoom | undefined> {
    const room = this.#rooms.get(appointmentId);
    return room && structuredClone(room);
  }

  async put(room: StoredRoom): Promise<void> {
    const previous = this.#rooms.get(room.appointmentId);
    if (previous && previous.specialistId !== room.specialistId) this.#unindex(previous);
    this.#rooms.set(room.appointmentId, structuredClone(room));
    if (!room.specialistId) return;
    let rooms = this.#roomsOfSpecialist.get(room.specialistId);
    if (!rooms) {
      rooms = new Set();
      this.#roomsOfSpecialist.set(room.specialistId, rooms);
    }
    rooms.add(room.appointmentId);
  }

  async delete(appointmentId: string): Promise<void> {
    const room = this.#rooms.get(appointmentId);
    if (!room) return;
    this.#rooms.delete(appointmentId);
    this.#unindex(room);
  }

  #unindex(room: StoredRoom): void {
    if (!room.specialistId) return;
    const rooms = this.#roomsOfSpecialist.get(room.specialistId);
    rooms?.delete(room.appointmentId);
    if (rooms?.size === 0) this.#roomsOfSpecialist.delete(room.specialistId);
  }

  async waitingFor(specialistId: string): Promise<WaitingEntry[]> {
    const entries: WaitingEntry[] = [];
    for (const appointmentId of this.#roomsOfSpecialist.get(specialistId) ?? []) {
      const room = this.#rooms.get(appointmentId);
      if (room) entries.push(...waitingEntries(room));
    }
    return entries.sort((a, b) => a.since.localeCompare(b.since));
  }

  async openRooms(): Promise<StoredRoom[]> {
    return [...this.#rooms.values()].map((room) => structuredClone(room));
  }
}
