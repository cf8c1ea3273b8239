import type { WaitingEntry } from '@telemed/shared';
import type { StoredRoom } from './ConsultationRoomTypes.js';

/**
 * Where consultation rooms' state lives. An interface, and asynchronous even in memory, because with several
 * signaling nodes the clinic doctor and the specialist may be on different nodes: `RedisRoomStateStore`
 * implements it over Redis so that every node reads and writes the same rooms. Nothing a room needs may live
 * only in the `ConsultationRoom` objects of one process.
 */
export interface RoomStateStore {
  /**
   * Runs one whole operation on a room (read, ask records, write) while no other runs one on that room, on
   * this node or another: room operations and the media ids written beside them (`SharedMediaIds`) both hold it.
   */
  exclusive<T>(appointmentId: string, task: () => Promise<T>): Promise<T>;
  get(appointmentId: string): Promise<StoredRoom | undefined>;
  /** Saves the room, and indexes its waiting participants under its specialist. */
  put(room: StoredRoom): Promise<void>;
  delete(appointmentId: string): Promise<void>;
  /** Everyone waiting for this specialist across all their rooms, longest waiting first: no scan of all rooms. */
  waitingFor(specialistId: string): Promise<WaitingEntry[]>;
  /** Every room open now, on every node (the governance dashboard's view; few: one per live consultation). */
  openRooms(): Promise<StoredRoom[]>;
}
