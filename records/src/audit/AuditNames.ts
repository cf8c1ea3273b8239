import type { AuditActorName, AuditEvent, AuditPatientName } from '@telemed/shared';
import { Types } from 'mongoose';
import { findPage } from '../db/findPage.js';
import type { Models } from '../models/registerModels.js';

type NamedDocument = { _id: Types.ObjectId; name: { ar: string; latin: string } };
type UserRow = NamedDocument & { username: string };
type PatientRow = NamedDocument & { mrn: string };

/**
 * Names the people and patients of a page of audit events, so an auditor reads "Dr Mona Hassan" and
 * "Fatma Ahmed Ali (A-1001)" rather than ids: one `$in` read of the page's actors and one of its patients,
 * never a read per row. Names are looked up when read, not stored on the events: the trail stays as it was
 * written, and a renamed patient reads under the name they have now. Identity only: no clinical field is read.
 */
export class AuditNames {
  readonly #models: Models;

  constructor(models: Models) {
    this.#models = models;
  }

  async name(events: AuditEvent[]): Promise<AuditEvent[]> {
    const actorIds = unique(events.flatMap((e) => (e.actorId ? [e.actorId] : [])));
    const patientIds = unique(events.flatMap((e) => e.patientIds));
    const [users, patients] = await Promise.all([
      this.#read<UserRow>(this.#models.User, actorIds, { name: 1, username: 1 }),
      this.#read<PatientRow>(this.#models.Patient, patientIds, { name: 1, mrn: 1 }),
    ]);
    const actors = new Map<string, AuditActorName>(
      users.map((u) => [u._id.toHexString(), { name: names(u), username: u.username }]),
    );
    const named = new Map<string, AuditPatientName>(
      patients.map((p) => [p._id.toHexString(), { id: p._id.toHexString(), name: names(p), mrn: p.mrn }]),
    );
    return events.map((event) => {
      const actor = event.actorId ? actors.get(event.actorId) : undefined;
      const eventPatients = event.patientIds.flatMap((id) => named.get(id) ?? []);
      return {
        ...event,
        ...(actor ? { actor } : {}),
        ...(eventPatients.length > 0 ? { patients: eventPatients } : {}),
      };
    });
  }

  #read<T>(model: Models['User'] | Models['Patient'], ids: string[], projection: Record<string, 1>) {
    if (ids.length === 0) return Promise.resolve([] as T[]);
    return findPage<T>(model, {
      filter: { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
      projection,
      limit: ids.length,
    });
  }
}

const unique = (ids: string[]) => [...new Set(ids)];
const names = (doc: NamedDocument) => ({ ar: doc.name.ar, latin: doc.name.latin });
