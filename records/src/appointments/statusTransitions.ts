import {
  AppError,
  type AppointmentStatus,
  type AuthenticatedUser,
  appointmentStatusName,
  appointmentTransitions,
  roleName,
} from '@telemed/shared';

/** Who may move an appointment into each status. */
const statusRoles: Record<AppointmentStatus, readonly AuthenticatedUser['role'][]> = {
  scheduled: [],
  waiting: ['clinic_doctor', 'administrator'],
  'in-progress': ['specialist'],
  completed: ['specialist'],
  cancelled: ['clinic_doctor', 'administrator'],
  'no-show': ['clinic_doctor', 'administrator', 'specialist'],
};

/**
 * Refuses a change of status the role may not make (FORBIDDEN), or that the lifecycle does not allow from
 * where the appointment is (UNPROCESSABLE): scheduled → waiting → in-progress → completed, with cancelled
 * and no-show before it starts.
 */
export function assertTransition(
  role: AuthenticatedUser['role'],
  from: AppointmentStatus,
  to: AppointmentStatus,
): void {
  if (!statusRoles[to].includes(role)) {
    throw new AppError('FORBIDDEN', {
      en: `A ${role} cannot set an appointment to ${to}.`,
      ar: `لا يحق لـ${roleName(role, 'ar')} تحويل الموعد إلى «${appointmentStatusName(to, 'ar')}».`,
    });
  }
  if (!appointmentTransitions[from].includes(to)) {
    throw new AppError('UNPROCESSABLE', {
      en: `An appointment that is ${from} cannot become ${to}.`,
      ar: `لا يمكن تحويل موعد حالته «${appointmentStatusName(from, 'ar')}» إلى «${appointmentStatusName(to, 'ar')}».`,
    });
  }
}
