import type { Encounter, Resource } from '@medplum/fhirtypes';
import { createLogger } from '@telemed/service-kit';
import type { DemoAccount } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Models } from '../../models/registerModels.js';
import { seedDemoData } from '../../seed/seedDemoData.js';
import { type RunningRecordsService, startRecordsService } from '../../startRecordsService.js';
import type { FhirTestServer } from '../../testing/fhirTestServer.js';
import { consultationResourceTypes } from '../testing/consultationResourceTypes.js';
import { type ApiCall, signConsultationThroughApi } from '../testing/consultationThroughApi.js';
import { type PushTestStore, startPushTestStore } from '../testing/pushTestStore.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import type { StoredOutboxItem } from './FhirPushWorker.js';

/**
 * Issue 21's "done when", for the push: the demo network seeded, the records service started as `npm start`
 * starts it (FHIR_PUSH_URL set, the production bundle builder), a demo clinic doctor and the demo specialist
 * write and sign a consultation through the API, and the hospital's FHIR server receives it, all valid.
 */
describe('a demo consultation signed by the demo specialist reaches the hospital’s FHIR server', () => {
  let push: PushTestStore;
  let fhir: FhirTestServer;
  let models: Models;
  let service: RunningRecordsService;
  let accounts: DemoAccount[];

  beforeAll(async () => {
    push = await startPushTestStore('demo_push');
    ({ fhir, models } = push);
    accounts = await seedDemoData(models);
    service = await startRecordsService(
      push.config({
        FHIR_PUBLIC_URL: 'https://records.hospital.example/telemed',
        FHIR_PUSH_TOKEN: 'hospital-push-token',
      }),
      createLogger('demo-push-test', 'silent'),
      { worker: { pollMs: 50, backoff: { baseMs: 40, maxMs: 200 }, timeoutMs: 10_000 } },
    );
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await push?.stop();
  });

  const call: ApiCall = async (method, path, options = {}) => {
    const headers: Record<string, string> = { 'accept-language': 'en', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (!body && options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${service.url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  async function signIn(username: string): Promise<string> {
    const account = accounts.find((a) => a.username === username);
    const login = await call('POST', '/api/auth/login', {
      body: { username, password: account?.password },
    });
    expect(login.status, username).toBe(200);
    return (login.body as { accessToken: string }).accessToken;
  }

  it('pushes the signed consultation once, every resource valid on the server', async () => {
    // The demo cardiologist's first appointment, and the doctor of the clinic that booked it.
    const cardiologist = await models.User.findOne({ role: 'specialist', specialty: 'cardiology' }).lean();
    const appointment = await models.Appointment.findOne({ specialistId: cardiologist?._id })
      .sort({ start: 1 })
      .lean();
    const clinicDoctor = await models.User.findOne({
      role: 'clinic_doctor',
      organizationId: appointment?.clinicId,
    }).lean();
    expect(appointment && clinicDoctor && cardiologist).toBeTruthy();
    const { id, version } = await signConsultationThroughApi(call, appointment!._id.toHexString(), {
      clinicDoctor: await signIn(clinicDoctor!.username),
      specialist: await signIn(cardiologist!.username),
    });

    const until = Date.now() + 30_000;
    let items: StoredOutboxItem[] = [];
    while (Date.now() < until) {
      const doc = await models.Consultation.findById(id).select('+fhirOutbox').lean();
      items = (doc?.fhirOutbox ?? []) as unknown as StoredOutboxItem[];
      if (items[0]?.state !== 'pending') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(items).toMatchObject([{ version, state: 'sent', attempts: 1 }]);
    expect(fhir.requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/', authorization: 'Bearer hospital-push-token' },
    ]);

    const held: Record<string, number> = {};
    for (const type of consultationResourceTypes) {
      const found = await fhir.repo.search({ resourceType: type, count: 1000 });
      const resources = (found.entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []));
      held[type] = resources.length;
      for (const resource of resources)
        expect(fhirValidationErrors(resource), `${type}/${resource.id}`).toEqual([]);
    }
    expect(held).toMatchObject({ Patient: 1, Encounter: 1, Observation: 8, Condition: 2, Composition: 1 });
    const encounter = (await fhir.repo.search<Encounter>({ resourceType: 'Encounter' })).entry?.[0]?.resource;
    expect(JSON.stringify(encounter?.identifier)).toContain(id);
    const document = (await fhir.repo.search({ resourceType: 'DocumentReference' })).entry?.[0]?.resource;
    // The attachment's link is the one a hospital can follow: FHIR_PUBLIC_URL, not the node's own address.
    expect(JSON.stringify(document)).toContain(
      `https://records.hospital.example/telemed/api/consultations/${id}/`,
    );
  });
});
