import type { Locale } from './identifiers.js';
import type { AppointmentStatus } from './records/appointments.js';
import { specialtyLabels } from './records/specialties.js';
import { type Role, roleLabels } from './roles.js';

/** Appointment statuses as a person reads them inside a sentence. */
export const appointmentStatusLabels: Record<AppointmentStatus, { ar: string; en: string }> = {
  scheduled: { ar: 'محدد', en: 'scheduled' },
  waiting: { ar: 'في الانتظار', en: 'waiting' },
  'in-progress': { ar: 'جارٍ', en: 'in progress' },
  completed: { ar: 'مكتمل', en: 'completed' },
  cancelled: { ar: 'ملغى', en: 'cancelled' },
  'no-show': { ar: 'لم يحضر', en: 'no-show' },
};

/** A role's name in `locale`, for error messages. */
export function roleName(role: Role, locale: Locale): string {
  return roleLabels[role][locale];
}

/** A specialty's name in `locale`; a code the list does not know is shown as it is. */
export function specialtyName(specialty: string, locale: Locale): string {
  return (specialtyLabels as Record<string, { ar: string; en: string }>)[specialty]?.[locale] ?? specialty;
}

export function appointmentStatusName(status: AppointmentStatus, locale: Locale): string {
  return appointmentStatusLabels[status][locale];
}
