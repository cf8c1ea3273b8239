import { z } from 'zod';

/** Specialties hospitals offer for teleconsultation, with names as a person reads them. */
export const specialtyLabels = {
  'internal-medicine': { ar: 'الباطنة العامة', en: 'Internal medicine' },
  cardiology: { ar: 'أمراض القلب', en: 'Cardiology' },
  dermatology: { ar: 'الأمراض الجلدية', en: 'Dermatology' },
  pediatrics: { ar: 'طب الأطفال', en: 'Pediatrics' },
  'obstetrics-gynecology': { ar: 'النساء والتوليد', en: 'Obstetrics and gynecology' },
  endocrinology: { ar: 'الغدد الصماء والسكر', en: 'Endocrinology and diabetes' },
  neurology: { ar: 'الأمراض العصبية', en: 'Neurology' },
  psychiatry: { ar: 'الطب النفسي', en: 'Psychiatry' },
  pulmonology: { ar: 'الأمراض الصدرية', en: 'Pulmonology' },
  hepatology: { ar: 'الكبد والجهاز الهضمي', en: 'Hepatology and gastroenterology' },
  nephrology: { ar: 'أمراض الكلى', en: 'Nephrology' },
  ophthalmology: { ar: 'طب العيون', en: 'Ophthalmology' },
  'ear-nose-throat': { ar: 'الأنف والأذن والحنجرة', en: 'Ear, nose and throat' },
  orthopedics: { ar: 'جراحة العظام', en: 'Orthopedics' },
} as const;

export type Specialty = keyof typeof specialtyLabels;
export const specialtySchema = z.enum(Object.keys(specialtyLabels) as [Specialty, ...Specialty[]]);
