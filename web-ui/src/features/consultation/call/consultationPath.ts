/** The consultation page of an appointment; `admit` asks it to let that waiting participant in once joined. */
export function consultationPath(appointmentId: string, admit?: string): string {
  const path = `/consultations/${appointmentId}`;
  return admit ? `${path}?admit=${encodeURIComponent(admit)}` : path;
}

export const consultationRoute = '/consultations/:appointmentId';

/** The consultation note of an appointment: the editor for the specialist, the signed note for the clinic. */
export function notePath(appointmentId: string): string {
  return `/consultations/${appointmentId}/note`;
}
