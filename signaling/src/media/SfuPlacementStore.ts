/**
 * Which SFU node each consultation room's router lives on. Every signaling node serving the room must use the
 * same SFU node for its life, so this is shared state: in this process's memory for one node, in Redis when
 * signaling runs on several (as `RoomStateStore` is).
 */
export interface SfuPlacementStore {
  get(appointmentId: string): Promise<string | undefined>;
  /** Places the room on `url` unless it is placed already; answers the node it is on (the first claim wins). */
  claim(appointmentId: string, url: string): Promise<string>;
  release(appointmentId: string): Promise<void>;
}
