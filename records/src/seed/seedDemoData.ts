import { randomBytes } from 'node:crypto';
import type { DemoAccount } from '@telemed/shared';
import { DateTime } from 'luxon';
import { appointmentPatientOf } from '../appointments/appointmentPatient.js';
import { hashPassword } from '../auth/passwords.js';
import type { Models } from '../models/registerModels.js';
import { searchTermsOf } from '../patients/searchTerms.js';
import {
  demoClinics,
  demoHospital,
  demoPatients,
  demoReasons,
  demoSpecialists,
  demoStaff,
} from './demoData.js';

/** Egyptian government working week: Sunday to Thursday. */
const workingDays = [0, 1, 2, 3, 4];

function reasonsFor(specialty: string, turn: number): string {
  const reasons = demoReasons[specialty as keyof typeof demoReasons];
  return reasons[turn % reasons.length]!;
}
const zone = 'Africa/Cairo';

/**
 * Creates the demo hospital, clinics, accounts, patients, availability and a week of appointments.
 * Each account gets a random password (returned once; nothing fixed lives in the repository).
 */
export async function seedDemoData(models: Models): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  const newPassword = () => randomBytes(9).toString('base64url');
  const hospital = await models.Organization.create(demoHospital);

  for (const staff of demoStaff) {
    const password = newPassword();
    await models.User.create({
      ...staff,
      organizationId: hospital._id,
      passwordHash: await hashPassword(password),
    });
    accounts.push({
      username: staff.username,
      password,
      role: staff.role,
      name: staff.name.ar,
      organization: hospital.name.ar,
    });
  }

  const specialists = [];
  for (const specialist of demoSpecialists) {
    const password = newPassword();
    const user = await models.User.create({
      ...specialist,
      role: 'specialist',
      organizationId: hospital._id,
      passwordHash: await hashPassword(password),
    });
    await models.Availability.create({
      specialistId: user._id,
      timeZone: zone,
      weekly: workingDays.map((weekday) => ({ weekday, start: '09:00', end: '15:00' })),
      exceptions: [],
    });
    specialists.push(user);
    accounts.push({
      username: specialist.username,
      password,
      role: 'specialist',
      name: specialist.name.ar,
      organization: hospital.name.ar,
    });
  }

  const admin = await models.User.findOne({ role: 'administrator' }).lean();
  for (const [index, clinicSpec] of demoClinics.entries()) {
    const clinic = await models.Organization.create({
      kind: 'clinic',
      name: clinicSpec.name,
      governorate: clinicSpec.governorate,
      district: clinicSpec.district,
    });
    const password = newPassword();
    await models.User.create({
      username: clinicSpec.username,
      role: 'clinic_doctor',
      name: clinicSpec.doctor,
      organizationId: clinic._id,
      passwordHash: await hashPassword(password),
    });
    accounts.push({
      username: clinicSpec.username,
      password,
      role: 'clinic_doctor',
      name: clinicSpec.doctor.ar,
      organization: clinicSpec.name.ar,
    });
    const patients = await models.Patient.insertMany(
      demoPatients(index).map((p) => ({
        ...p,
        clinicId: clinic._id,
        searchTerms: searchTermsOf([p.name.ar, p.name.latin]),
      })),
    );

    // A week of appointments from today: each clinic sees each specialist once a working day.
    const today = DateTime.now().setZone(zone).startOf('day');
    let patientTurn = 0;
    for (let day = 0; day < 7; day++) {
      const date = today.plus({ days: day });
      if (!workingDays.includes(date.weekday % 7)) continue;
      for (const [s, specialist] of specialists.entries()) {
        const start = date.set({ hour: 9 + index * 2, minute: (s % 2) * 30 });
        const patient = patients[patientTurn++ % patients.length]!;
        await models.Appointment.create({
          kind: 'scheduled',
          clinicId: clinic._id,
          patientId: patient._id,
          patient: appointmentPatientOf(patient),
          specialty: demoSpecialists[s]!.specialty,
          specialistId: specialist._id,
          start: start.toJSDate(),
          end: start.plus({ minutes: 30 }).toJSDate(),
          reason: reasonsFor(demoSpecialists[s]!.specialty, patientTurn),
          priority: 'routine',
          status: 'scheduled',
          statusHistory: [{ status: 'scheduled', at: new Date(), by: admin?._id }],
          createdBy: admin?._id,
        });
      }
    }
  }
  return accounts;
}
