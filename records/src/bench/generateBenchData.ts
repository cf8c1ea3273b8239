import { DateTime } from 'luxon';
import type { Db } from 'mongodb';
import { ObjectId } from 'mongodb';
import {
  type AppointmentPatient,
  appointmentPatientOf,
  appointmentPatientProjection,
} from '../appointments/appointmentPatient.js';
import { hashPassword } from '../auth/passwords.js';
import { organizationSearchTerms } from '../organizations/organizationSearchTerms.js';
import { searchTermsOf } from '../patients/searchTerms.js';

export const benchPassword = 'bench password 123';

const firstNames = [
  ['محمد', 'Mohamed'],
  ['أحمد', 'Ahmed'],
  ['فاطمة', 'Fatma'],
  ['مريم', 'Mariam'],
  ['علي', 'Ali'],
  ['زينب', 'Zeinab'],
  ['حسن', 'Hassan'],
  ['نورا', 'Noura'],
  ['يوسف', 'Youssef'],
  ['سارة', 'Sara'],
  ['عمر', 'Omar'],
  ['هدى', 'Hoda'],
  ['خالد', 'Khaled'],
  ['منى', 'Mona'],
  ['إبراهيم', 'Ibrahim'],
  ['سعاد', 'Soad'],
  ['مصطفى', 'Mostafa'],
  ['ريم', 'Reem'],
  ['طارق', 'Tarek'],
  ['آمنة', 'Amna'],
] as const;
const familyNames = [
  ['عبد الله', 'Abdallah'],
  ['السيد', 'Elsayed'],
  ['محمود', 'Mahmoud'],
  ['عثمان', 'Osman'],
  ['خليل', 'Khalil'],
  ['منصور', 'Mansour'],
  ['الشريف', 'Elsherif'],
  ['حنا', 'Hanna'],
  ['يونس', 'Younes'],
  ['فؤاد', 'Fouad'],
  ['رشدي', 'Roshdy'],
  ['شوقي', 'Shawky'],
  ['مراد', 'Mourad'],
  ['فتحي', 'Fathy'],
  ['عطية', 'Attia'],
] as const;

export interface BenchData {
  clinicDoctor: string;
  specialist: string;
  consultationAppointmentIds: string[];
  nameWords: string[];
  mrns: string[];
}

/** Writes the benchmark's data set straight through the driver: far faster than through the API. */
export async function generateBenchData(
  db: Db,
  sizes: { patients: number; auditEvents: number; consultations: number },
  log: (line: string) => void,
): Promise<BenchData> {
  const passwordHash = await hashPassword(benchPassword);
  const now = new Date();
  const hospitalId = new ObjectId();
  const clinicIds = [new ObjectId(), new ObjectId(), new ObjectId()];
  await db.collection('organizations').insertMany([
    {
      _id: hospitalId,
      kind: 'hospital',
      name: { ar: 'مستشفى', en: 'Hospital' },
      searchTerms: organizationSearchTerms({ ar: 'مستشفى', en: 'Hospital' }),
      governorate: 'Assiut',
      district: 'Assiut',
      address: '',
      specialties: ['cardiology'],
      timeZone: 'Africa/Cairo',
      active: true,
    },
    ...clinicIds.map((_id, i) => ({
      _id,
      kind: 'clinic',
      name: { ar: `وحدة ${i}`, en: `Unit ${i}` },
      searchTerms: organizationSearchTerms({ ar: `وحدة ${i}`, en: `Unit ${i}` }),
      governorate: 'Assiut',
      district: `D${i}`,
      address: '',
      specialties: [],
      timeZone: 'Africa/Cairo',
      active: true,
    })),
  ]);
  const user = (username: string, role: string, organizationId: ObjectId, specialty?: string) => ({
    _id: new ObjectId(),
    username,
    passwordHash,
    role,
    organizationId,
    specialty,
    name: { ar: username, latin: username },
    active: true,
    failedLogins: 0,
    mustChangePassword: false,
    createdAt: now,
    updatedAt: now,
  });
  const doctors = clinicIds.map((id, i) => user(`doctor${i}`, 'clinic_doctor', id));
  const specialists = Array.from({ length: 10 }, (_, i) =>
    user(`specialist${i}`, 'specialist', hospitalId, 'cardiology'),
  );
  await db.collection('users').insertMany([...doctors, ...specialists]);

  const mrns: string[] = [];
  const patientIds: ObjectId[] = [];
  const batch = 5000;
  for (let start = 0; start < sizes.patients; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(sizes.patients, start + batch); i++) {
      const [firstAr, firstLatin] = firstNames[i % firstNames.length]!;
      const [fatherAr, fatherLatin] = firstNames[Math.floor(i / firstNames.length) % firstNames.length]!;
      const [familyAr, familyLatin] = familyNames[Math.floor(i / 400) % familyNames.length]!;
      const mrn = `M-${String(i).padStart(7, '0')}`;
      if (i % 997 === 0) mrns.push(mrn);
      const name = {
        ar: `${firstAr} ${fatherAr} ${familyAr}`,
        latin: `${firstLatin} ${fatherLatin} ${familyLatin}`,
      };
      docs.push({
        clinicId: clinicIds[i % clinicIds.length],
        mrn,
        name,
        searchTerms: searchTermsOf([name.ar, name.latin]),
        sex: i % 2 ? 'male' : 'female',
        birthDate: `${1940 + (i % 70)}-0${1 + (i % 9)}-1${i % 9}`,
        allergies: [],
        chronicConditions: i % 3 === 0 ? ['ارتفاع ضغط الدم'] : [],
        currentMedications: [],
        createdAt: now,
        updatedAt: now,
      });
    }
    await db.collection('patients').insertMany(docs, { ordered: false });
    // The driver gave each document its _id.
    for (const doc of docs as Array<{ _id?: ObjectId }>) patientIds.push(doc._id!);
  }
  log(`${sizes.patients} patients written`);

  // Today's list: ten appointments per specialist, half-hourly from 09:00 Cairo time.
  const nineInCairo = DateTime.now().setZone('Africa/Cairo').startOf('day').plus({ hours: 9 }).toJSDate();
  // Each of a specialist's ten patients of the day from the clinic that booked them, as the API books.
  const patientsOf = await Promise.all(
    clinicIds.map((clinicId) =>
      db
        .collection<AppointmentPatient & { _id: ObjectId }>('patients')
        .find({ clinicId }, { projection: appointmentPatientProjection })
        .limit(10 * specialists.length)
        .toArray(),
    ),
  );
  const appointments = specialists.flatMap((specialist, s) =>
    Array.from({ length: 10 }, (_, k) => {
      const start = new Date(nineInCairo.getTime() + k * 30 * 60_000);
      const clinic = (s + k) % clinicIds.length;
      const ofClinic = patientsOf[clinic]!;
      const patient = ofClinic[(s * 10 + k) % ofClinic.length]!;
      return {
        _id: new ObjectId(),
        kind: 'scheduled',
        clinicId: clinicIds[clinic],
        patientId: patient._id,
        patient: appointmentPatientOf(patient),
        specialty: 'cardiology',
        specialistId: specialist._id,
        start,
        end: new Date(start.getTime() + 30 * 60_000),
        reason: 'follow-up',
        priority: 'routine',
        status: 'scheduled',
        statusHistory: [],
        createdBy: specialist._id,
        createdAt: now,
        updatedAt: now,
        __v: 0,
      };
    }),
  );
  // Past appointments of the first clinic: their consultations take the vital-signs writes. Enough of them
  // that each ends the benchmark with about as many entries as a visit records (a dozen), not hundreds.
  const past = Array.from({ length: sizes.consultations }, (_, k) => {
    const start = new Date(
      nineInCairo.getTime() - (Math.floor(k / 16) + 1) * 24 * 3600_000 + (k % 16) * 30 * 60_000,
    );
    return {
      ...appointments[0]!,
      _id: new ObjectId(),
      clinicId: clinicIds[0]!,
      specialistId: specialists[k % specialists.length]!._id,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      status: 'completed',
    };
  });
  await db.collection('appointments').insertMany([...appointments, ...past]);

  for (let start = 0; start < sizes.auditEvents; start += 10_000) {
    const docs = [];
    for (let i = start; i < Math.min(sizes.auditEvents, start + 10_000); i++) {
      docs.push({
        at: new Date(now.getTime() - (sizes.auditEvents - i) * 1000),
        actorId: doctors[i % doctors.length]!._id,
        actorRole: 'clinic_doctor',
        action: 'read',
        resourceType: 'patient',
        // Reads of patients all over the register, as a year of a network's clinics leaves them.
        resourceIds: [patientIds[(i * 7919) % patientIds.length]!.toHexString()],
        patientIds: [patientIds[(i * 7919) % patientIds.length]!],
        outcome: 'success',
        ip: '127.0.0.1',
      });
    }
    await db.collection('auditevents').insertMany(docs, { ordered: false });
  }
  log(`${sizes.auditEvents} audit events written`);

  return {
    clinicDoctor: doctors[0]!.username,
    specialist: specialists[0]!.username,
    consultationAppointmentIds: past.map((a) => a._id.toHexString()),
    nameWords: ['mohamed', 'فاطمه', 'ahmed khalil', 'زينب محمود', 'youssef', 'hoda mansour'],
    mrns,
  };
}
