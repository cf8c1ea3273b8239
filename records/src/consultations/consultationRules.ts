import {
  AppError,
  type AuthenticatedUser,
  allowedAttachmentTypes,
  type ConsultationContent,
  roleName,
} from '@telemed/shared';
import type { Icd10Catalog } from '../icd10/Icd10Catalog.js';

/** Fields each role writes: the clinic the history, the specialist the opinion. */
const writableBy: Record<'clinic_doctor' | 'specialist', readonly (keyof ConsultationContent)[]> = {
  clinic_doctor: ['reasonForVisit', 'history'],
  specialist: [
    'reasonForVisit',
    'history',
    'findings',
    'diagnoses',
    'plan',
    'recommendations',
    'referral',
    'followUpDate',
  ],
};

/** Bounded, so a runaway client cannot grow one record towards the 16 MiB document limit. */
export const maxVitalSigns = 500;

export type AttachmentType = (typeof allowedAttachmentTypes)[number];

const magicNumbers: Record<AttachmentType, (bytes: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

export function assertDraft(doc: { status: string }): void {
  if (doc.status === 'signed') {
    throw new AppError('UNPROCESSABLE', {
      en: 'This consultation is signed: change it with an amendment.',
      ar: 'هذه الاستشارة موقَّعة؛ أضف التغيير في صورة ملحق (تعديل لاحق).',
    });
  }
}

export function assertSigned(doc: { status: string }): void {
  if (doc.status !== 'signed') {
    throw new AppError('UNPROCESSABLE', {
      en: 'Only a signed consultation is amended; edit the draft.',
      ar: 'الملحق للاستشارات الموقَّعة فقط؛ عدّل المسودة مباشرة.',
    });
  }
}

/** A signature needs an opinion to sign: the findings or at least one diagnosis. */
export function assertSignable(content: Partial<ConsultationContent>): void {
  if (!content.findings && !content.diagnoses?.length) {
    throw new AppError('UNPROCESSABLE', {
      en: 'Write the findings or at least one diagnosis before signing.',
      ar: 'اكتب النتائج أو تشخيصاً واحداً على الأقل قبل التوقيع.',
    });
  }
}

export function assertKnownDiagnoses(icd10: Icd10Catalog, changes: Partial<ConsultationContent>): void {
  for (const [index, diagnosis] of (changes.diagnoses ?? []).entries()) {
    if (!icd10.has(diagnosis.code)) {
      throw new AppError(
        'VALIDATION_FAILED',
        {
          en: `changes.diagnoses.${index}.code: ${diagnosis.code} is not in the ICD-10 list.`,
          ar: `changes.diagnoses.${index}.code: الرمز ${diagnosis.code} غير موجود في قائمة ICD-10؛ اختر رمزاً منها.`,
        },
        [{ path: `changes.diagnoses.${index}.code`, message: 'unknown ICD-10 code' }],
      );
    }
  }
}

export function assertWritable(user: AuthenticatedUser, changes: Partial<ConsultationContent>): void {
  const allowed = writableBy[user.role as 'clinic_doctor' | 'specialist'] ?? [];
  const refused = Object.keys(changes).filter(
    (field) => !allowed.includes(field as keyof ConsultationContent),
  );
  if (refused.length > 0)
    throw new AppError('FORBIDDEN', {
      en: `A ${user.role} cannot write: ${refused.join(', ')}.`,
      ar: `هذه الحقول ليست من صلاحية ${roleName(user.role, 'ar')}: ${refused.join('، ')}.`,
    });
}

/** An attachment is one of the allowed types, and its bytes are what its type says. */
export function assertAttachment(contentType: string, body: unknown): asserts body is Buffer {
  if (!allowedAttachmentTypes.includes(contentType as AttachmentType)) {
    throw new AppError('VALIDATION_FAILED', {
      en: `Attachments may be ${allowedAttachmentTypes.join(', ')}; got "${contentType}".`,
      ar: `أنواع المرفقات المسموح بها: ${allowedAttachmentTypes.join('، ')}؛ والملف المرسل من نوع "${contentType}".`,
    });
  }
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('VALIDATION_FAILED', { en: 'The file is empty.', ar: 'الملف فارغ؛ اختر ملفاً آخر.' });
  if (!magicNumbers[contentType as AttachmentType](body)) {
    throw new AppError('VALIDATION_FAILED', {
      en: `The file's content is not ${contentType}.`,
      ar: `محتوى الملف لا يطابق النوع ${contentType}؛ تحقق من الملف ثم أعد رفعه.`,
    });
  }
}

/** The `$set` of content changes: each field on its own path, so the others stay. */
export function contentSet(changes: Partial<ConsultationContent>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) set[`content.${field}`] = value;
  return set;
}
