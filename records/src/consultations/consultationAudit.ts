import type { Types } from 'mongoose';
import { type ConsultationReadGrant, consultationHistoryAudit } from '../access/AccessPolicy.js';
import type { AuditEntry } from '../audit/AuditLog.js';

export interface ConsultationRef {
  _id: Types.ObjectId;
  patientId: Types.ObjectId;
  status: string;
}

export function consultationEntry(
  doc: ConsultationRef,
  action: 'read' | 'create' | 'update' | 'sign',
  reason?: string,
): AuditEntry {
  return {
    action,
    resourceType: 'consultation',
    resourceId: doc._id.toHexString(),
    patientId: doc.patientId.toHexString(),
    outcome: 'success',
    reason,
  };
}

/** A read as a party is a consultation read; a read of the patient's signed history says so. */
export function consultationReadEntry(
  doc: ConsultationRef,
  grant: ConsultationReadGrant,
  what?: string,
): AuditEntry {
  if (grant === 'party') return consultationEntry(doc, 'read', what);
  return {
    ...consultationEntry(doc, 'read'),
    resourceType: consultationHistoryAudit.resourceType,
    reason: what ? `${consultationHistoryAudit.reason}; ${what}` : consultationHistoryAudit.reason,
  };
}
