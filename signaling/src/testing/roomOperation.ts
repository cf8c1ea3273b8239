import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';

/**
 * A room operation as `ConsultationRoom` runs one: under the room's lock, read it, wait `recordsMs` as a records
 * round trip would, and write the whole room back. Without the lock, the later of two such writes drops the
 * earlier one's change.
 */
export function roomOperation(
  store: RoomStateStore,
  appointmentId: string,
  change: (room: StoredRoom) => StoredRoom,
  recordsMs = 30,
): Promise<void> {
  return store.exclusive(appointmentId, async () => {
    const room = await store.get(appointmentId);
    if (!room) throw new Error('room vanished');
    await sleep(recordsMs);
    await store.put(change(room));
  });
}
