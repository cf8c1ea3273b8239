import { z } from 'zod';

export const roleSchema = z.enum(['clinic_doctor', 'specialist', 'administrator', 'auditor']);
export type Role = z.infer<typeof roleSchema>;
export const roles = roleSchema.options;

/** Role names as a person reads them, Arabic first. */
export const roleLabels: Record<Role, { ar: string; en: string }> = {
  clinic_doctor: { ar: 'طبيب الوحدة الصحية', en: 'Clinic doctor' },
  specialist: { ar: 'طبيب استشاري', en: 'Specialist' },
  administrator: { ar: 'مسؤول النظام', en: 'Administrator' },
  auditor: { ar: 'مراجع', en: 'Auditor' },
};
