import { AppError } from '@telemed/shared';

/**
 * Where a resource's record is, from its id as the mappers make it (see the README's "Derived ids"): an
 * Encounter is its consultation; a Condition, Composition, Provenance or ServiceRequest id starts with its
 * consultation's; an Observation, Communication or DocumentReference is an entry of one consultation, found by
 * the entry's own id (an indexed field of the consultation).
 */
export type ResourceLocator =
  | { kind: 'record'; id: string }
  | { kind: 'consultation'; consultationId: string }
  | { kind: 'consultation-entry'; field: 'vitalSigns.id' | 'chat.id' | 'attachments.id'; entryId: string };

const objectId = /^[0-9a-f]{24}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const derived: Record<string, RegExp> = {
  Condition: /^([0-9a-f]{24})-[A-Z0-9]{3,7}$/,
  Composition: /^([0-9a-f]{24})-v\d{1,4}$/,
  Provenance: /^([0-9a-f]{24})-v\d{1,4}-provenance$/,
  ServiceRequest: /^([0-9a-f]{24})-referral$/,
  PractitionerRole: /^([0-9a-f]{24})-role$/,
};
const entryFields = {
  Observation: 'vitalSigns.id',
  Communication: 'chat.id',
  DocumentReference: 'attachments.id',
} as const;

export function locateResource(type: string, id: string): ResourceLocator {
  const malformed = () =>
    new AppError('VALIDATION_FAILED', {
      en: `"${id.slice(0, 80)}" is not an id of a ${type} on this server; use the id of a resource it answered.`,
      ar: `"${id.slice(0, 80)}" ليس معرّفاً لمورد ${type} على هذا الخادم؛ استخدم معرّف مورد أعاده الخادم.`,
    });
  const pattern = derived[type];
  if (pattern) {
    const match = id.match(pattern);
    if (!match?.[1]) throw malformed();
    return type === 'PractitionerRole'
      ? { kind: 'record', id: match[1] }
      : { kind: 'consultation', consultationId: match[1] };
  }
  if (type in entryFields) {
    const field = entryFields[type as keyof typeof entryFields];
    // Attachments are named by an ObjectId, vital signs and chat messages by a UUID.
    if (!(field === 'attachments.id' ? objectId : uuid).test(id)) throw malformed();
    return { kind: 'consultation-entry', field, entryId: id };
  }
  if (!objectId.test(id)) throw malformed();
  return type === 'Encounter' ? { kind: 'consultation', consultationId: id } : { kind: 'record', id };
}
