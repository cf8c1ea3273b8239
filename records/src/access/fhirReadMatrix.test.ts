import type { Bundle, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSystemClient, systemToken } from '../fhir/testing/systemClientTesting.js';
import { createRecordsServices } from '../RecordsServices.js';
import { cardiologyBooking, tomorrowAt } from '../testing/fixtures.js';
import { recordsServerForSuite } from '../testing/recordsServerForSuite.js';
import { serviceCaller } from '../testing/serviceCallers.js';
import { fhirReadMatrix, type MatrixRole, matrixRoles } from './roleMatrix.js';

type Tenant = 'own' | 'other';

/** Every cell of `fhirReadMatrix` against the real app over HTTP; every refusal must be audited. */
describe('the FHIR read API, role by role', { timeout: 120_000 }, () => {
  const suite = recordsServerForSuite(['doctor.a', 'cardio', 'admin', 'auditor']);
  const tokenOf: Partial<Record<MatrixRole | 'system', string>> = {};
  /** Per tenant: the patient, the consultation, and an id of each type in its record. */
  const records = {} as Record<
    Tenant,
    { patientId: string; mrn: string; clinicId: string; ids: Map<string, string> }
  >;
  let ip = 0;

  beforeAll(async () => {
    const { f, server } = suite;
    const { consultations, appointments } = createRecordsServices(server);
    tokenOf.clinic_doctor = suite.tokens['doctor.a'];
    tokenOf.specialist = suite.tokens.cardio;
    tokenOf.administrator = suite.tokens.admin;
    tokenOf.auditor = suite.tokens.auditor;
    const client = await registerSystemClient(server, suite.tokens.admin as string, ['system/*.read']);
    tokenOf.system = await systemToken(server, client, 'system/*.read');
    // "own": clinic A's patient, booked with the cardiologist; "other": clinic B's, with the dermatologist.
    const write = async (tenant: Tenant) => {
      const own = tenant === 'own';
      const doctor = serviceCaller(own ? f.doctorA : f.doctorB);
      const specialist = serviceCaller(own ? f.cardiologist : f.dermatologist);
      const patient = own ? f.patientA : f.patientB;
      const appointment = await appointments.book(
        doctor,
        cardiologyBooking(f, {
          clinicId: (own ? f.clinicA : f.clinicB).id,
          patientId: patient.id,
          specialty: own ? 'cardiology' : 'dermatology',
          specialistId: specialist.user.id,
          start: tomorrowAt(own ? 9 : 11),
          end: tomorrowAt(own ? 9 : 11, 30),
        }) as never,
      );
      const draft = await consultations.openForAppointment(doctor, appointment.id);
      await consultations.appendVitalSign(doctor, draft.id, {
        kind: 'heart-rate',
        value: 80,
        takenAt: new Date().toISOString(),
      } as never);
      await consultations.appendChat(doctor, draft.id, 'Hello');
      await consultations.attach(doctor, draft.id, {
        contentType: 'application/pdf',
        fileName: 'labs.pdf',
        body: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32)]),
      });
      const current = await consultations.read(specialist, draft.id);
      const written = await consultations.update(specialist, draft.id, {
        version: current.version,
        changes: {
          findings: 'Fine',
          diagnoses: [{ code: 'I10', text: 'Hypertension', kind: 'primary' }],
          referral: { specialty: 'cardiology', reason: 'Echo', urgency: 'routine' },
        },
      });
      await consultations.sign(specialist, draft.id, written.version);
      const res = await suite.server.call('GET', `/fhir/Encounter/${draft.id}/$everything?_count=100`, {
        token: tokenOf.system,
      });
      expect(res.status, res.body).toBe(200);
      const ids = new Map<string, string>();
      for (const entry of (JSON.parse(res.body) as Bundle).entry ?? []) {
        const resource = entry.resource as Resource;
        if (!ids.has(resource.resourceType)) ids.set(resource.resourceType, resource.id as string);
      }
      const audit = await server.models.AuditEvent.findOne({})
        .skip(own ? 0 : 1)
        .lean();
      ids.set('AuditEvent', String(audit?._id));
      records[tenant] = {
        patientId: patient.id,
        mrn: patient.mrn,
        clinicId: (own ? f.clinicA : f.clinicB).id,
        ids,
      };
    };
    await write('own');
    await write('other');
  }, 120_000);

  function pathOf(interaction: string, type: string, tenant: Tenant): string {
    const record = records[tenant];
    if (interaction === 'search') {
      if (type === 'Patient')
        return `/fhir/Patient?identifier=${encodeURIComponent(`urn:telemed:clinic:${record.clinicId}:mrn|${record.mrn}`)}`;
      return `/fhir/${type}?patient=Patient/${record.patientId}`;
    }
    const id = record.ids.get(type);
    if (!id) throw new Error(`no ${type} in the ${tenant} record`);
    return interaction === 'everything' ? `/fhir/${type}/${id}/$everything` : `/fhir/${type}/${id}`;
  }

  async function call(path: string, token: string | undefined) {
    ip += 1;
    const address = `10.9.${Math.floor(ip / 250)}.${(ip % 250) + 1}`;
    const res = await suite.server.call('GET', path, { token, headers: { 'x-forwarded-for': address } });
    const audited =
      (await suite.server.models.AuditEvent.exists({ ip: address, outcome: 'denied' })) !== null;
    return { status: res.status, audited, body: res.body as string };
  }

  it('answers every role × tenant cell as the table says, as an OperationOutcome when refused, audited', async () => {
    const mismatches: string[] = [];
    for (const row of fhirReadMatrix) {
      for (const type of row.types) {
        for (const role of matrixRoles) {
          for (const [index, tenant] of (['own', 'other'] as const).entries()) {
            const expected = row.roles[role][index];
            const path = pathOf(row.interaction, type, tenant);
            const { status, audited, body } = await call(path, tokenOf[role]);
            const cell = `${row.interaction} ${type} as ${role} (${tenant}) ${path}`;
            if (status !== expected)
              mismatches.push(`${cell}: ${status}, expected ${expected} ${body.slice(0, 200)}`);
            if (status === 403 && !audited) mismatches.push(`${cell}: 403 not audited`);
            if (status >= 400 && JSON.parse(body).resourceType !== 'OperationOutcome')
              mismatches.push(`${cell}: not an OperationOutcome`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives a system client with system/*.read every cell', async () => {
    const mismatches: string[] = [];
    for (const row of fhirReadMatrix)
      for (const type of row.types)
        for (const tenant of ['own', 'other'] as const) {
          const path = pathOf(row.interaction, type, tenant);
          const { status } = await call(path, tokenOf.system);
          if (status !== 200) mismatches.push(`${path}: ${status}`);
        }
    expect(mismatches).toEqual([]);
  });
});
