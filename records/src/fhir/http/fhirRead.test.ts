import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordsServices } from '../../RecordsServices.js';
import { cardiologyBooking, createFixtures, signIn, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { serviceCaller } from '../../testing/serviceCallers.js';
import { signedClinicDoctorToken } from '../../testing/testTokens.js';
import { demoVitalSigns } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import { registerSystemClient, systemToken } from '../testing/systemClientTesting.js';
import { writeFullConsultation } from '../testing/writeFullConsultation.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';

const fhirHeaders = { accept: 'application/fhir+json' };

/** The FHIR read API over real HTTP, on a consultation written through the services as the apps write it. */
describe('the FHIR read API', validatingSuite, () => {
  // The first validation loads the R4 definitions, blocking this process (and the server in it) for seconds:
  // done before any request, so no keep-alive connection goes stale under a request (ECONNRESET).
  beforeAll(() => {
    fhirValidationErrors({ resourceType: 'Basic', code: { text: 'warm-up' } });
  }, 60_000);
  const suite = recordsServerForSuite(['doctor.a', 'doctor.b', 'admin', 'auditor', 'cardio', 'cardio2']);
  let consultationId: string;
  let patientId: string;

  const get = (path: string, token: string | undefined, headers: Record<string, string> = {}) =>
    suite.server.call('GET', path, { token, headers: { ...fhirHeaders, ...headers } });

  beforeAll(async () => {
    const { f, server } = suite;
    patientId = f.patientA.id;
    consultationId = await writeFullConsultation(createRecordsServices(server), {
      doctor: serviceCaller(f.doctorA),
      specialist: serviceCaller(f.cardiologist),
      booking: cardiologyBooking(f, { start: tomorrowAt(9), end: tomorrowAt(9, 30) }),
    });
  });

  const token = (name: string) => suite.tokens[name] as string;
  const resourcesOf = (bundle: Bundle) =>
    (bundle.entry ?? []).flatMap((e) => (e.search?.mode === 'match' && e.resource ? [e.resource] : []));

  /** Follows `next` from `path` to the end, answering every resource of every page. */
  async function allPages(path: string, as: string): Promise<{ resources: Resource[]; total: number }> {
    const resources: Resource[] = [];
    let url: string | undefined = path;
    let total = -1;
    for (let pages = 0; url && pages < 50; pages += 1) {
      const res = await get(url, token(as));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const bundle = JSON.parse(res.body) as Bundle;
      expect(bundle.type).toBe('searchset');
      total = bundle.total ?? -1;
      resources.push(...resourcesOf(bundle));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next ? next.slice(suite.server.baseUrl.length) : undefined;
    }
    return { resources, total };
  }

  it('answers a CapabilityStatement without a token, and every route it lists answers', async () => {
    const res = await get('/fhir/metadata', undefined);
    expect(res.status).toBe(200);
    const statement = JSON.parse(res.body) as CapabilityStatement;
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: ['json'],
    });
    expect(fhirValidationErrors(statement)).toEqual([]);
    const rest = statement.rest?.[0];
    const security = JSON.stringify(rest?.security);
    expect(security).toContain(`${suite.server.baseUrl}/auth/token`);
    expect(security).toContain('client-confidential-asymmetric');
    // The ids of one of each type, from the consultation's compartment (and the audit trail for AuditEvent).
    const everything = await allPages(`/fhir/Encounter/${consultationId}/$everything`, 'doctor.a');
    const audit = await suite.server.models.AuditEvent.findOne({}).lean();
    const ids = new Map<string, string>([['AuditEvent', String(audit?._id)]]);
    for (const r of everything.resources)
      if (!ids.has(r.resourceType)) ids.set(r.resourceType, r.id as string);
    for (const resource of rest?.resource ?? []) {
      const as = resource.type === 'AuditEvent' ? 'auditor' : 'doctor.a';
      const id = ids.get(resource.type);
      expect(id, `an id of ${resource.type}`).toBeDefined();
      for (const { code } of resource.interaction ?? []) {
        const path =
          code === 'read'
            ? `/fhir/${resource.type}/${id}`
            : resource.type === 'Patient'
              ? `/fhir/Patient?identifier=${encodeURIComponent(`urn:telemed:clinic:${suite.f.clinicA.id}:mrn|A-1001`)}`
              : `/fhir/${resource.type}?patient=Patient/${patientId}`;
        const answer = await get(path, token(as));
        expect(answer.status, `${code} ${path}: ${answer.body}`).toBe(200);
        expect(fhirValidationErrors(JSON.parse(answer.body)), path).toEqual([]);
      }
      for (const operation of resource.operation ?? []) {
        if (operation.name !== 'everything') continue;
        const answer = await get(`/fhir/${resource.type}/${ids.get(resource.type)}/$everything`, token(as));
        expect(answer.status, `${resource.type} $everything`).toBe(200);
      }
    }
  });

  it('reads every resource of the consultation by its id, each valid R4 (0 issues)', async () => {
    const { resources } = await allPages(
      `/fhir/Encounter/${consultationId}/$everything?_count=100`,
      'doctor.a',
    );
    const types = new Set(resources.map((r) => r.resourceType));
    for (const type of ['Patient', 'Encounter', 'Observation', 'Condition', 'Composition', 'Provenance'])
      expect(types).toContain(type);
    expect(types).toContain('DocumentReference');
    expect(types).toContain('Communication');
    for (const resource of resources) {
      const res = await get(`/fhir/${resource.resourceType}/${resource.id}`, token('doctor.a'));
      expect(res.status, `${resource.resourceType}/${resource.id}: ${res.body}`).toBe(200);
      const read = JSON.parse(res.body) as Resource;
      expect(read).toEqual(resource);
      expect(fhirValidationErrors(read), `${resource.resourceType}/${resource.id}`).toEqual([]);
    }
    const encounter = await get(`/fhir/Encounter/${consultationId}`, token('doctor.a'));
    const version = JSON.parse(encounter.body).meta.versionId;
    expect(encounter.headers.get('etag')).toBe(`W/"${version}"`);
    expect(encounter.headers.get('content-type')).toContain('application/fhir+json');
  });

  it('pages a search with next links to the end, each match once, and audits one event per request', async () => {
    const before = await suite.server.models.AuditEvent.countDocuments({ resourceType: 'fhir' });
    const { resources, total } = await allPages(
      `/fhir/Observation?patient=Patient/${patientId}&_count=3`,
      'doctor.a',
    );
    expect(total).toBe(demoVitalSigns.length);
    expect(resources).toHaveLength(demoVitalSigns.length);
    expect(new Set(resources.map((r) => r.id)).size).toBe(demoVitalSigns.length);
    const pages = Math.ceil(demoVitalSigns.length / 3);
    expect(await suite.server.models.AuditEvent.countDocuments({ resourceType: 'fhir' })).toBe(
      before + pages,
    );
    const last = await suite.server.models.AuditEvent.findOne({ resourceType: 'fhir' })
      .sort({ at: -1, _id: -1 })
      .lean();
    expect(last?.patientIds.map(String)).toEqual([patientId]);
    expect(last?.actorId?.toHexString()).toBe(suite.f.doctorA.id);
    // The request as asked, its parameters named but not their values.
    expect(last?.reason).toBe('GET /fhir/Observation?patient&_count&_offset');
  });

  it('searches by the declared parameters', async () => {
    const count = async (path: string, as = 'doctor.a') => {
      const res = await get(path, token(as));
      expect(res.status, res.body).toBe(200);
      return resourcesOf(JSON.parse(res.body)).length;
    };
    const p = `patient=Patient/${patientId}`;
    expect(await count(`/fhir/Observation?${p}&code=${encodeURIComponent('http://loinc.org|8867-4')}`)).toBe(
      1,
    );
    expect(await count(`/fhir/Observation?${p}&category=vital-signs`)).toBe(demoVitalSigns.length);
    expect(await count(`/fhir/Observation?${p}&category=laboratory`)).toBe(0);
    expect(await count(`/fhir/Observation?${p}&date=ge2020-01-01&date=lt2999`)).toBe(demoVitalSigns.length);
    expect(await count(`/fhir/Observation?${p}&date=lt2020-01-01`)).toBe(0);
    expect(await count(`/fhir/Condition?${p}`)).toBe(2);
    expect(await count(`/fhir/DocumentReference?${p}`)).toBe(1);
    expect(await count(`/fhir/Encounter?${p}`)).toBe(1);
    const mrn = encodeURIComponent(`urn:telemed:clinic:${suite.f.clinicA.id}:mrn|A-1001`);
    expect(await count(`/fhir/Patient?identifier=${mrn}`)).toBe(1);
    expect(await count('/fhir/Patient?name=fatma')).toBe(1);
    // Doctor B's clinic scope: the same search finds nothing of clinic A.
    expect(await count(`/fhir/Patient?identifier=${mrn}`, 'doctor.b')).toBe(0);
    expect(await count(`/fhir/Patient/${patientId}/$everything`)).toBeGreaterThan(demoVitalSigns.length);
  });

  it('searches Encounters by date with each prefix, as intervals', async () => {
    // The Encounter's period starts when the specialist joined the call.
    await suite.server.models.Appointment.updateOne(
      { _id: (await suite.server.models.Consultation.findById(consultationId).lean())?.appointmentId },
      { $set: { specialistJoinedAt: new Date('2025-03-10T09:00:00Z') } },
    );
    const found = async (date: string) => {
      const res = await get(
        `/fhir/Encounter?patient=Patient/${patientId}&date=${encodeURIComponent(date)}`,
        token('doctor.a'),
      );
      if (res.status === 400) return -1;
      expect(res.status, res.body).toBe(200);
      return resourcesOf(JSON.parse(res.body)).length;
    };
    expect(await found('2025-03-10')).toBe(1);
    expect(await found('2025-03')).toBe(1);
    expect(await found('2025')).toBe(1);
    expect(await found('eq2025-03-10T09:00:00Z')).toBe(1);
    expect(await found('eq2025-03-10T11:00:00+02:00')).toBe(1);
    expect(await found('eq2025-03-10T09:00:01Z')).toBe(0);
    expect(await found('ge2025-03-11')).toBe(0);
    expect(await found('gt2025-03-09')).toBe(1);
    expect(await found('le2025-03-10')).toBe(1);
    expect(await found('lt2025-03-10')).toBe(0);
    expect(await found('2025-02-30')).toBe(-1);
  });

  it('pages without a total where counting would scan, and answers the total alone for _count=0', async () => {
    const everyone = await allPages('/fhir/Patient?_count=1', 'admin');
    expect(everyone.total).toBe(-1);
    expect(new Set(everyone.resources.map((r) => r.id)).size).toBe(everyone.resources.length);
    expect(everyone.resources.length).toBe(await suite.server.models.Patient.countDocuments());
    const res = await get(`/fhir/Observation?patient=Patient/${patientId}&_count=0`, token('doctor.a'));
    const bundle = JSON.parse(res.body) as Bundle;
    expect(bundle.total).toBe(demoVitalSigns.length);
    expect(bundle.entry).toEqual([]);
    expect(bundle.link?.map((l) => l.relation)).toEqual(['self']);
    expect(
      (await get(`/fhir/Observation?patient=Patient/${patientId}&_count=ten`, token('doctor.a'))).status,
    ).toBe(400);
    const asJson = await get(`/fhir/Condition?patient=Patient/${patientId}&_format=json`, token('doctor.a'));
    expect(asJson.status).toBe(200);
    const asXml = await get(`/fhir/Condition?patient=Patient/${patientId}&_format=xml`, token('doctor.a'));
    expect(asXml.status).toBe(400);
  });

  it("audits a specialist's read of the patient's signed history as history, as the records API does", async () => {
    const { f, server } = suite;
    // The second cardiologist is booked with the patient: the signed consultation is their history to read.
    await createRecordsServices(server).appointments.book(
      serviceCaller(f.doctorA),
      cardiologyBooking(f, {
        specialistId: f.cardiologist2.id,
        start: tomorrowAt(13),
        end: tomorrowAt(13, 30),
      }) as never,
    );
    const res = await get(`/fhir/Encounter/${consultationId}`, token('cardio2'));
    expect(res.status, res.body).toBe(200);
    const event = await server.models.AuditEvent.findOne({
      actorId: f.cardiologist2.id,
      resourceType: 'consultation-history',
    })
      .sort({ at: -1 })
      .lean();
    expect(event?.resourceIds).toEqual([`Encounter/${consultationId}`]);
    expect(event?.patientIds.map(String)).toEqual([patientId]);
    expect(event?.reason).toMatch(/^history: .*; GET \/fhir\/Encounter\//);
    const search = await get(`/fhir/Observation?patient=Patient/${patientId}&_count=100`, token('cardio2'));
    expect(resourcesOf(JSON.parse(search.body))).toHaveLength(demoVitalSigns.length);
    const events = await server.models.AuditEvent.find({
      actorId: f.cardiologist2.id,
      reason: /Observation/,
    }).lean();
    expect(events.map((e) => [e.resourceType, e.resourceIds.length, e.patientIds.map(String)])).toEqual([
      ['consultation-history', demoVitalSigns.length, [patientId]],
    ]);
  });

  it('gives a system client what its scopes cover', async () => {
    const client = await registerSystemClient(suite.server, token('admin'), ['system/*.read']);
    const all = await systemToken(suite.server, client, 'system/*.read');
    const res = await get(`/fhir/Observation?patient=Patient/${patientId}`, all);
    expect(res.status).toBe(200);
    const patientOnly = await systemToken(suite.server, client, 'system/Patient.read');
    expect((await get(`/fhir/Patient/${patientId}`, patientOnly)).status).toBe(200);
    const refused = await get(`/fhir/Encounter/${consultationId}`, patientOnly);
    expect(refused.status).toBe(403);
    // $everything gives it what its scopes cover, nothing else of the record.
    const everything = await get(`/fhir/Patient/${patientId}/$everything`, patientOnly);
    expect(everything.status).toBe(200);
    expect(resourcesOf(JSON.parse(everything.body)).map((r) => r.resourceType)).toEqual(['Patient']);
    const encounterOnly = await systemToken(suite.server, client, 'system/Encounter.read');
    const ofEncounter = await get(`/fhir/Encounter/${consultationId}/$everything`, encounterOnly);
    expect(resourcesOf(JSON.parse(ofEncounter.body)).map((r) => r.resourceType)).toEqual(['Encounter']);
  });

  describe('refusals, each an OperationOutcome', () => {
    async function expectOutcome(path: string, as: string | undefined, status: number, code: string) {
      const res = await get(path, as ? token(as) : undefined);
      expect(res.status, res.body).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/fhir+json');
      const outcome = JSON.parse(res.body);
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0].code).toBe(code);
      expect(fhirValidationErrors(outcome)).toEqual([]);
      return outcome;
    }
    async function expectAuditedRefusal(actorId: string, path: string) {
      const refusal = await suite.server.models.AuditEvent.findOne({
        actorId,
        outcome: 'denied',
        reason: new RegExp(`^GET ${path.replace(/[$/]/g, '\\$&')}`),
      }).lean();
      expect(refusal, `audited refusal of ${path}`).not.toBeNull();
    }

    it("another clinic's patient: 403, audited", async () => {
      await expectOutcome(`/fhir/Patient/${patientId}`, 'doctor.b', 403, 'forbidden');
      await expectAuditedRefusal(suite.f.doctorB.id, `/Patient/${patientId}`);
      await expectOutcome(`/fhir/Encounter/${consultationId}`, 'doctor.b', 403, 'forbidden');
      await expectOutcome(`/fhir/Observation?patient=Patient/${patientId}`, 'doctor.b', 403, 'forbidden');
    });

    it('an administrator reading an Observation, an auditor reading a Patient: 403, audited', async () => {
      const observations = await allPages(`/fhir/Observation?patient=Patient/${patientId}`, 'doctor.a');
      const observation = observations.resources[0]!;
      await expectOutcome(`/fhir/Observation/${observation.id}`, 'admin', 403, 'forbidden');
      await expectAuditedRefusal(suite.f.admin.id, `/Observation/${observation.id}`);
      await expectOutcome(`/fhir/Patient/${patientId}`, 'auditor', 403, 'forbidden');
      await expectAuditedRefusal(suite.f.auditor.id, `/Patient/${patientId}`);
      // What they may read: an administrator the patient's demographics, an auditor the audit trail.
      expect((await get(`/fhir/Patient/${patientId}`, token('admin'))).status).toBe(200);
      await expectOutcome(`/fhir/Patient/${patientId}/$everything`, 'admin', 403, 'forbidden');
    });

    it('bad input: a bad date, an unknown type, an unknown parameter, a malformed id, no token', async () => {
      await expectOutcome(
        `/fhir/Observation?patient=Patient/${patientId}&date=yesterday`,
        'doctor.a',
        400,
        'invalid',
      );
      await expectOutcome(
        `/fhir/Observation?patient=Patient/${patientId}&date=2024-13-01`,
        'doctor.a',
        400,
        'invalid',
      );
      await expectOutcome('/fhir/Medication/abc', 'doctor.a', 404, 'not-supported');
      await expectOutcome('/fhir/Medication?patient=x', 'doctor.a', 404, 'not-supported');
      const unknown = await expectOutcome(
        `/fhir/Condition?patient=Patient/${patientId}&onset=2020`,
        'doctor.a',
        400,
        'invalid',
      );
      expect(unknown.issue[0].diagnostics).toMatch(/onset/);
      await expectOutcome('/fhir/Patient/not-an-id', 'doctor.a', 400, 'invalid');
      await expectOutcome('/fhir/Observation/12', 'doctor.a', 400, 'invalid');
      await expectOutcome(`/fhir/Patient/${patientId}`, undefined, 401, 'login');
      const expired = await signedClinicDoctorToken(
        suite.server.signingKey,
        suite.f.doctorA.id,
        suite.f.clinicA.id,
        Math.floor(Date.now() / 1000) - 60,
      );
      const res = await get(`/fhir/Patient/${patientId}`, expired);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).issue[0].code).toBe('expired');
      await expectOutcome('/fhir/Encounter', 'doctor.a', 400, 'invalid');
    });

    it('an unknown parameter under Prefer: handling=lenient is ignored with a warning', async () => {
      const res = await get(`/fhir/Condition?patient=Patient/${patientId}&onset=2020`, token('doctor.a'), {
        prefer: 'handling=lenient',
      });
      expect(res.status).toBe(200);
      const bundle = JSON.parse(res.body) as Bundle;
      expect(resourcesOf(bundle)).toHaveLength(2);
      const outcome = bundle.entry?.find((e) => e.search?.mode === 'outcome')?.resource;
      expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning' }] });
      expect(fhirValidationErrors(bundle)).toEqual([]);
    });
  });
});

describe('the CapabilityStatement with Bulk Data sources registered', validatingSuite, () => {
  let server: RecordsTestServer;
  beforeAll(async () => {
    server = await startBulkTestServer();
    await createFixtures(server.models);
  });
  afterAll(() => server?.stop());

  it('lists $export at the system and Patient levels, and each kick-off it lists answers 202', async () => {
    const res = await server.call('GET', '/fhir/metadata');
    const statement = JSON.parse(res.body) as CapabilityStatement;
    expect(fhirValidationErrors(statement)).toEqual([]);
    const rest = statement.rest?.[0];
    const kickOffs = [
      ...(rest?.operation ?? []).filter((o) => o.name === 'export').map(() => '/fhir/$export'),
      ...(rest?.resource ?? []).flatMap((r) =>
        (r.operation ?? []).filter((o) => o.name === 'export').map(() => `/fhir/${r.type}/$export`),
      ),
    ];
    expect(kickOffs.sort()).toEqual(['/fhir/$export', '/fhir/Patient/$export']);
    const client = await registerSystemClient(server, await signIn(server, 'admin'), ['system/*.read']);
    const token = await systemToken(server, client, 'system/*.read');
    for (const path of kickOffs) {
      const answer = await server.call('GET', path, { token, headers: { prefer: 'respond-async' } });
      expect(answer.status, `${path}: ${answer.body}`).toBe(202);
      await server.call('DELETE', new URL(answer.headers.get('content-location') as string).pathname, {
        token,
      });
    }
  });
});
