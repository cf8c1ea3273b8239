import type { BilingualName } from '@telemed/shared';
import type { StoredParticipant, StoredRoom } from '../rooms/ConsultationRoomTypes.js';

/** A participant as a node of the release before bilingual names wrote it: its name was the Arabic one alone. */
type WrittenParticipant = Omit<StoredParticipant, 'name'> & { name: BilingualName | string };

/**
 * A room as Redis holds it. Nodes of the previous release stored a participant's name as one Arabic string;
 * such a room (a consultation under way across an upgrade, or a mixed-version rollout) is converted on read,
 * the Arabic name standing for the Latin one too, until the participant's next join writes both. Rooms expire
 * within a day, so this conversion can go in the release after next.
 */
export function storedRoomFromJson(json: string): StoredRoom {
  const room = JSON.parse(json) as Omit<StoredRoom, 'participants'> & { participants: WrittenParticipant[] };
  return {
    ...room,
    participants: room.participants.map((p) =>
      typeof p.name === 'string' ? { ...p, name: { ar: p.name, latin: p.name } } : { ...p, name: p.name },
    ),
  };
}
