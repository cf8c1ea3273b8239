import type { Appointment } from '@telemed/shared';

/** Who the patient is, as a schedule lists them. */
export type AppointmentPatient = NonNullable<Appointment['patient']>;

/** The patient fields an appointment keeps a copy of. */
export const appointmentPatientFields = [
  'name',
  'mrn',
  'sex',
  'birthDate',
] as const satisfies readonly (keyof AppointmentPatient)[];

/** A projection of those fields, for reading a patient before booking. */
export const appointmentPatientProjection = Object.fromEntries(
  appointmentPatientFields.map((field) => [field, 1]),
) as Readonly<Record<(typeof appointmentPatientFields)[number], 1>>;

/** The copy an appointment keeps of `patient` (extra fields, such as an id or a clinic, are left out). */
export function appointmentPatientOf(patient: AppointmentPatient): AppointmentPatient {
  return {
    name: { ar: patient.name.ar, latin: patient.name.latin },
    mrn: patient.mrn,
    sex: patient.sex,
    birthDate: patient.birthDate,
  };
}
