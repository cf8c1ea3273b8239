/** The consultation page of an appointment; `admit` asks it to let that waiting participant in once joined. */
export function consultationPath(appointmentId: string, admit?: string): string {
  const path = `/consultations/${appointmentId}`;
  return admit ? `${path}?admit=${encodeURIComponent(admit)}` : path;
}

export const consultationRoute = '/consultations/:appointmentId';
