import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordsServices } from '../../RecordsServices.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import { serviceCaller } from '../../testing/serviceCallers.js';
import { locateResource } from './fhirResourceIds.js';
import { patientSearchMongoFilter } from './patientSearchMongoFilter.js';

interface Plan {
  executionStats: { nReturned: number; totalDocsExamined: number };
}

/** The read API's queries go through indexes: each examines only the documents it returns. */
describe('the FHIR read API’s queries', { timeout: 60_000 }, () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  const entries = { vital: '', chat: '', attachment: '' };

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    const { consultations, appointments } = createRecordsServices(server);
    const doctor = serviceCaller(f.doctorA);
    // Several consultations, each with entries: a scan would examine the others too.
    for (const hour of [9, 10, 11, 12]) {
      const appointment = await appointments.book(
        doctor,
        cardiologyBooking(f, { start: tomorrowAt(hour), end: tomorrowAt(hour, 30) }) as never,
      );
      const draft = await consultations.openForAppointment(doctor, appointment.id);
      const vital = await consultations.appendVitalSign(doctor, draft.id, {
        kind: 'heart-rate',
        value: 70 + hour,
        takenAt: new Date().toISOString(),
      } as never);
      const message = await consultations.appendChat(doctor, draft.id, `message ${hour}`);
      const attachment = await consultations.attach(doctor, draft.id, {
        contentType: 'application/pdf',
        fileName: 'labs.pdf',
        body: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100 + hour, 32)]),
      });
      Object.assign(entries, { vital: vital.id, chat: message.id, attachment: attachment.id });
    }
    // Another clinic's patient's consultation: the patient's record must not be found by looking through it.
    const other = await appointments.book(
      serviceCaller(f.doctorB),
      cardiologyBooking(f, {
        clinicId: f.clinicB.id,
        patientId: f.patientB.id,
        start: tomorrowAt(14),
        end: tomorrowAt(14, 30),
      }) as never,
    );
    await consultations.openForAppointment(serviceCaller(f.doctorB), other.id);
  });
  afterAll(() => server?.stop());

  it.each([
    ['Observation', () => entries.vital],
    ['Communication', () => entries.chat],
    ['DocumentReference', () => entries.attachment],
  ])('finds the consultation holding a %s by its entry id through an index', async (type, id) => {
    const locator = locateResource(type, id());
    if (locator.kind !== 'consultation-entry') throw new Error('expected an entry locator');
    const query = server.models.Consultation.findOne({ [locator.field]: locator.entryId }, { _id: 1 });
    const plan = (await query.explain('executionStats')) as unknown as Plan;
    expect(plan.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
  });

  it.each([
    ['an MRN', () => new Map([['identifier', [`urn:telemed:clinic:${f.clinicA.id}:mrn|A-1001`]]]), undefined],
    ['a name', () => new Map([['name', ['fatma ali']]]), undefined],
    ['a name within a clinic', () => new Map([['name', ['fatma']]]), () => f.clinicA._id],
    ['an MRN alone within a clinic', () => new Map([['identifier', ['A-1001']]]), () => f.clinicA._id],
  ])('searches patients by %s through an index', async (_, values, clinic) => {
    const filter = patientSearchMongoFilter(values(), clinic?.() as Types.ObjectId | undefined);
    const plan = (await server.models.Patient.find(filter).explain('executionStats')) as unknown as Plan;
    expect(plan.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
  });

  it("reads a patient's consultations through the patientId index", async () => {
    const filter = { patientId: new Types.ObjectId(f.patientA.id), clinicId: f.clinicA._id };
    const plan = (await server.models.Consultation.find(filter, { _id: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .explain('executionStats')) as unknown as Plan;
    expect(plan.executionStats).toMatchObject({ nReturned: 4, totalDocsExamined: 4 });
  });
});
