import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { ObjectId } from 'mongodb';

/** Vital signs of one visit, as the clinics record them (each kind its own entry). */
const visitVitals = [
  { kind: 'blood-pressure', systolic: 138, diastolic: 88, unit: 'mmHg' },
  { kind: 'heart-rate', value: 82, unit: '/min' },
  { kind: 'temperature', value: 37.1, unit: 'Cel' },
  { kind: 'spo2', value: 97, unit: '%' },
  { kind: 'weight', value: 78.5, unit: 'kg' },
  { kind: 'blood-glucose', value: 142, unit: 'mg/dL' },
];
const diagnosisPairs = [
  ['I10', 'E11.9'],
  ['J06.9', 'R51'],
  ['E11.9', 'I10'],
];

export interface FhirBenchSizes {
  consultations: number;
  /** Consultations per patient (the register is this many times smaller). */
  perPatient: number;
}

/**
 * The FHIR benchmark's data, written straight through the driver: a hospital, three clinics, their doctors and
 * ten specialists, a register of patients, and `consultations` signed consultations, each on its own completed
 * appointment, with six vital signs, two diagnoses and a note (so an Encounter, six Observations, two
 * Conditions, a Composition and a Provenance each).
 */
export async function generateFhirBenchData(db: Db, sizes: FhirBenchSizes): Promise<void> {
  const now = new Date();
  const hospitalId = new ObjectId();
  const clinicIds = [new ObjectId(), new ObjectId(), new ObjectId()];
  const organization = (_id: ObjectId, kind: string, i: number) => ({
    _id,
    kind,
    name: { ar: `منشأة ${i}`, en: `Facility ${i}` },
    governorate: 'Assiut',
    district: `D${i}`,
    address: '',
    specialties: kind === 'hospital' ? ['cardiology'] : [],
    timeZone: 'Africa/Cairo',
    active: true,
    createdAt: now,
    updatedAt: now,
  });
  await db
    .collection('organizations')
    .insertMany([
      organization(hospitalId, 'hospital', 0),
      ...clinicIds.map((id, i) => organization(id, 'clinic', i + 1)),
    ]);
  const user = (username: string, role: string, organizationId: ObjectId, specialty?: string) => ({
    _id: new ObjectId(),
    username,
    passwordHash: 'not used',
    role,
    organizationId,
    ...(specialty ? { specialty } : {}),
    name: { ar: `د. ${username}`, latin: `Dr ${username}` },
    active: true,
    createdAt: now,
    updatedAt: now,
  });
  const doctors = clinicIds.map((id, i) => user(`doctor${i}`, 'clinic_doctor', id));
  const specialists = Array.from({ length: 10 }, (_, i) =>
    user(`specialist${i}`, 'specialist', hospitalId, 'cardiology'),
  );
  await db.collection('users').insertMany([...doctors, ...specialists]);

  const patientCount = Math.max(1, Math.ceil(sizes.consultations / sizes.perPatient));
  const patientIds: ObjectId[] = [];
  const batch = 2000;
  for (let start = 0; start < patientCount; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(patientCount, start + batch); i++) {
      const _id = new ObjectId();
      patientIds.push(_id);
      docs.push({
        _id,
        clinicId: clinicIds[i % clinicIds.length],
        mrn: `M-${String(i).padStart(7, '0')}`,
        name: { ar: `مريض رقم ${i}`, latin: `Patient Number ${i}` },
        sex: i % 2 ? 'male' : 'female',
        birthDate: `${1940 + (i % 70)}-0${1 + (i % 9)}-1${i % 9}`,
        phone: '+201001234567',
        createdAt: now,
        updatedAt: now,
      });
    }
    await db.collection('patients').insertMany(docs, { ordered: false });
  }

  for (let start = 0; start < sizes.consultations; start += batch) {
    const appointments = [];
    const consultations = [];
    for (let k = start; k < Math.min(sizes.consultations, start + batch); k++) {
      const patientIndex = k % patientCount;
      const clinic = patientIndex % clinicIds.length;
      const specialist = specialists[k % specialists.length]!;
      const doctor = doctors[clinic]!;
      const begin = new Date(now.getTime() - (k + 1) * 3600_000);
      const end = new Date(begin.getTime() + 30 * 60_000);
      const appointmentId = new ObjectId();
      appointments.push({
        _id: appointmentId,
        kind: 'scheduled',
        clinicId: clinicIds[clinic],
        patientId: patientIds[patientIndex],
        specialty: 'cardiology',
        specialistId: specialist._id,
        start: begin,
        end,
        reason: 'follow-up',
        priority: 'routine',
        status: 'completed',
        statusHistory: [{ status: 'in-progress', at: begin }],
        specialistJoinedAt: begin,
        completedAt: end,
        createdBy: doctor._id,
        createdAt: begin,
        updatedAt: end,
      });
      const [primary, secondary] = diagnosisPairs[k % diagnosisPairs.length]!;
      consultations.push({
        appointmentId,
        patientId: patientIds[patientIndex],
        clinicId: clinicIds[clinic],
        specialistId: specialist._id,
        status: 'signed',
        version: 9,
        content: {
          reasonForVisit: 'Follow-up of raised blood pressure',
          findings: 'Alert, no oedema.',
          diagnoses: [
            { code: primary, text: 'primary diagnosis', kind: 'primary' },
            { code: secondary, text: 'secondary diagnosis', kind: 'secondary' },
          ],
          plan: 'Continue treatment; review in a month.',
          recommendations: 'Less salt.',
        },
        vitalSigns: visitVitals.map((vital) => ({
          ...vital,
          id: randomUUID(),
          takenAt: begin.toISOString(),
          recordedAt: begin.toISOString(),
          recordedBy: doctor._id,
        })),
        chat: [],
        attachments: [],
        amendments: [],
        signedAt: end,
        signedBy: specialist._id,
        createdAt: begin,
        updatedAt: end,
      });
    }
    await db.collection('appointments').insertMany(appointments, { ordered: false });
    await db.collection('consultations').insertMany(consultations, { ordered: false });
  }
}
