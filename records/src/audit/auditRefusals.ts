import { AppError, type ErrorCode, objectIdSchema } from '@telemed/shared';
import type { AuditActor } from './AuditActor.js';
import type { AuditEntry, AuditLog } from './AuditLog.js';

/** What a refused call was after: named as the API's refusals always were (`consultations`, `appointments`). */
export interface RefusalSubject {
  action: AuditEntry['action'];
  resourceType: string;
  resourceId?: string | undefined;
  patientId?: string | undefined;
}

const audited = new WeakSet<AppError>();
const forbiddenOnly: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['FORBIDDEN']);
const isRecordId = (value: string | undefined) => objectIdSchema.safeParse(value).success;

/** Whether a service already wrote this refusal to the audit trail (the API's error handler then does not). */
export function wasAudited(error: unknown): boolean {
  return error instanceof AppError && audited.has(error);
}

/**
 * Runs `work`, and audits its refusal (a FORBIDDEN, or any of `codes`) with `actor` before passing it on: a
 * refusal is audited whoever called, a route, signaling or a worker. Ids that are not record ids are left out: they are the
 * caller's text. If the event cannot be written, the refusal still stands, unmarked, for the caller to report.
 */
export async function auditRefusals<T>(
  audit: AuditLog,
  actor: AuditActor,
  subject: RefusalSubject,
  work: () => Promise<T>,
  codes: ReadonlySet<ErrorCode> = forbiddenOnly,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && codes.has(error.code) && !audited.has(error)) {
      const entry: AuditEntry = {
        action: subject.action,
        resourceType: subject.resourceType,
        outcome: 'denied',
        reason: error.message,
      };
      if (isRecordId(subject.resourceId)) entry.resourceId = subject.resourceId;
      if (isRecordId(subject.patientId)) entry.patientId = subject.patientId;
      try {
        await audit.record(actor, entry);
        audited.add(error);
      } catch {
        // Left unmarked: the caller's own refusal auditing tries again and reports the failure.
      }
    }
    throw error;
  }
}
