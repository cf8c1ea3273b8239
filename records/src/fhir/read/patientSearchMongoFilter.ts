import { AppError } from '@telemed/shared';
import { Types } from 'mongoose';
import { searchKeyOf, searchWordsOf } from '../../patients/searchTerms.js';
import { businessIdentifierSystem, fhirSystems } from '../mapping/fhirSystems.js';
import { parseToken } from './fhirSearchParams.js';

const mrnSystemPattern = /^urn:telemed:clinic:([0-9a-f]{24}):mrn$/;

/**
 * The Mongo filter of a Patient search, on indexed fields only: `clinicId + mrn` (unique), `nationalId`
 * (unique), `_id`, and `searchTerms` (+ `clinicId`) for names. `clinicId` is the caller's scope (a clinic
 * doctor's clinic), laid over whatever they ask.
 */
export function patientSearchMongoFilter(
  values: Map<string, string[]>,
  clinicId: Types.ObjectId | undefined,
): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (clinicId) and.push({ clinicId });
  for (const raw of values.get('identifier') ?? []) and.push(identifierFilter(raw, clinicId));
  for (const raw of values.get('name') ?? []) {
    const words = searchWordsOf(raw).map(searchKeyOf);
    if (words.length === 0) {
      throw new AppError('VALIDATION_FAILED', {
        en: `name=${raw.slice(0, 80)}: give at least one word of the patient's name.`,
        ar: `name=${raw.slice(0, 80)}: أدخل كلمة واحدة على الأقل من اسم المريض.`,
      });
    }
    for (const word of words) and.push({ searchTerms: word });
  }
  if (and.length === 0) return {};
  return and.length === 1 ? (and[0] as Record<string, unknown>) : { $and: and };
}

function identifierFilter(raw: string, scopeClinic: Types.ObjectId | undefined): Record<string, unknown> {
  const { system, code: value } = parseToken('identifier', raw);
  if (system === fhirSystems.nationalId) return { nationalId: value };
  if (system === businessIdentifierSystem('patient')) {
    return Types.ObjectId.isValid(value) && /^[0-9a-f]{24}$/.test(value)
      ? { _id: new Types.ObjectId(value) }
      : { _id: { $exists: false } };
  }
  const mrnClinic = system?.match(mrnSystemPattern)?.[1];
  if (mrnClinic) return { clinicId: new Types.ObjectId(mrnClinic), mrn: value };
  if (system === undefined) {
    if (/^\d{14}$/.test(value)) return { nationalId: value };
    if (scopeClinic) return { mrn: value };
  }
  throw new AppError('VALIDATION_FAILED', {
    en:
      `identifier=${raw.slice(0, 80)}: give the system, one of urn:telemed:clinic:<clinicId>:mrn, ` +
      `${fhirSystems.nationalId}, ${businessIdentifierSystem('patient')} (an MRN is unique within its clinic only).`,
    ar:
      `identifier=${raw.slice(0, 80)}: حدّد النظام، أحد urn:telemed:clinic:<clinicId>:mrn أو ` +
      `${fhirSystems.nationalId} أو ${businessIdentifierSystem('patient')} (رقم الملف فريد داخل وحدته فقط).`,
  });
}
