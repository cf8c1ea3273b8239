import type { Types } from 'mongoose';
import type { AuditEntry } from '../audit/AuditLog.js';

/** An appointment names a patient and why they need care: every read or change of one is audited. */
export function appointmentEvent(
  action: AuditEntry['action'],
  appointmentId: Types.ObjectId | string,
  patientId: Types.ObjectId | string,
  reason?: string,
): AuditEntry {
  return {
    action,
    resourceType: 'appointment',
    resourceId: String(appointmentId),
    patientId: String(patientId),
    outcome: 'success',
    reason,
  };
}

export function appointmentReadOf(
  doc: { _id: Types.ObjectId; patientId: Types.ObjectId },
  reason: string,
): AuditEntry {
  return appointmentEvent('read', doc._id, doc.patientId, reason);
}
