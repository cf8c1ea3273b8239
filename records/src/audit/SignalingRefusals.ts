import type { SignalingRefusal } from '@telemed/shared';
import type { Caller } from '../access/Caller.js';
import type { RefusalAudit } from './RefusalAudit.js';

/**
 * Refusals signaling made on its own (a room event from the wrong role, from outside the room, out of order),
 * written to the audit trail as records writes its own: a denied event of the refused user, through
 * signaling. Signaling reports them with that user's token, so the actor is proven, not claimed. A client can
 * send as many refused events as it likes, so they go through the refusal throttle keyed by the user: the
 * first few of each minute are written as they come, the rest summed up in one event.
 */
export class SignalingRefusals {
  readonly #refusals: RefusalAudit;

  constructor(refusals: RefusalAudit) {
    this.#refusals = refusals;
  }

  async record({ user, actor }: Caller, refusal: SignalingRefusal): Promise<void> {
    const message = refusal.message ? `: ${refusal.message}` : '';
    await this.#refusals.record({
      // One user's reports share a window whatever events or rooms they name: nothing they send makes a new key.
      key: `signaling\u0000${user.id}`,
      keyedByActor: true,
      actor,
      entry: {
        action: 'update',
        // Named as records names the refusals of the same rooms (call events are `appointments`).
        resourceType: refusal.appointmentId ? 'appointments' : 'signaling-events',
        ...(refusal.appointmentId ? { resourceId: refusal.appointmentId } : {}),
        outcome: 'denied',
        reason: `signaling refused ${refusal.event} (${refusal.code})${message}`,
      },
    });
  }
}
