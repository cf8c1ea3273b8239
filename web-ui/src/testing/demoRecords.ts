import type { RecordsAnswer, SessionUser } from '@telemed/shared';

type Appointment = RecordsAnswer<'listAppointments'>['items'][number];
type PatientSummary = RecordsAnswer<'searchPatients'>['items'][number];

const id = (n: number) => n.toString(16).padStart(24, '0');

export function testUser(role: SessionUser['role'], overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: id(1),
    username: role === 'specialist' ? 'dr.samir' : 'clinic.abnoub',
    role,
    name: { ar: 'د. سمير', latin: 'Dr Samir' },
    organizationId: id(2),
    mustChangePassword: false,
    ...overrides,
  };
}

export function testAppointment(n: number, overrides: Partial<Appointment> = {}): Appointment {
  const start = new Date(Date.UTC(2026, 11, 7, 8 + n, 0)).toISOString();
  return {
    id: id(100 + n),
    kind: 'scheduled',
    clinicId: id(2),
    patientId: id(200 + n),
    specialty: 'cardiology',
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    reason: 'ألم في الصدر',
    priority: 'routine',
    status: 'scheduled',
    statusHistory: [],
    patient: {
      name: { ar: `فاطمة ${n}`, latin: `Fatma ${n}` },
      mrn: `ABN-${n}`,
      sex: 'female',
      birthDate: '1980-05-17',
    },
    ...overrides,
  };
}

export function testPatient(n: number): PatientSummary {
  return {
    id: id(200 + n),
    clinicId: id(2),
    mrn: `ABN-${n}`,
    name: { ar: `فاطمة ${n}`, latin: `Fatma ${n}` },
    sex: 'female',
    birthDate: '1980-05-17',
  };
}

export const page = <T>(items: T[]) => ({ items, page: 1, limit: 20, hasMore: false, total: items.length });
