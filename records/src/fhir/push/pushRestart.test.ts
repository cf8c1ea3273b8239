import { createLogger } from '@telemed/service-kit';
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Models } from '../../models/registerModels.js';
import {
  type RecordsConfig,
  type RunningRecordsService,
  startRecordsService,
} from '../../startRecordsService.js';
import type { FhirTestServer } from '../../testing/fhirTestServer.js';
import { createFixtures, type Fixtures, fixturePassword } from '../../testing/fixtures.js';
import { type PushTestStore, startPushTestStore } from '../testing/pushTestStore.js';
import type { StoredOutboxItem } from './FhirPushWorker.js';

/** The records service as `main` starts it, with FHIR_PUSH_URL set: stopped and started again over one store. */
describe('the push across a restart of the records service', () => {
  let push: PushTestStore;
  let fhir: FhirTestServer;
  let models: Models;
  let f: Fixtures;
  let config: RecordsConfig;
  const logger = createLogger('push-restart-test', 'silent');
  const pushOptions = { worker: { pollMs: 50, backoff: { baseMs: 40, maxMs: 200 }, timeoutMs: 5_000 } };

  beforeAll(async () => {
    push = await startPushTestStore('push_restart');
    ({ fhir, models } = push);
    f = await createFixtures(models);
    config = push.config({ FHIR_PUSH_USERNAME: 'telemed', FHIR_PUSH_PASSWORD: 'push secret' });
  }, 60_000);
  afterAll(() => push?.stop());

  async function call(
    service: RunningRecordsService,
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { accessToken?: string } };
  }

  async function outbox(id: Types.ObjectId): Promise<StoredOutboxItem[]> {
    const doc = await models.Consultation.findById(id).select('+fhirOutbox').lean();
    return (doc?.fhirOutbox ?? []) as unknown as StoredOutboxItem[];
  }

  async function draftConsultation(hoursAhead: number) {
    const start = new Date(Date.now() + hoursAhead * 3600_000);
    const appointment = await models.Appointment.create({
      kind: 'scheduled',
      clinicId: f.clinicA._id,
      patientId: f.patientA._id,
      specialty: 'cardiology',
      specialistId: f.cardiologist._id,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      reason: 'follow-up',
      status: 'in-progress',
      createdBy: f.admin._id,
    });
    const consultation = await models.Consultation.create({
      appointmentId: appointment._id,
      patientId: f.patientA._id,
      clinicId: f.clinicA._id,
      specialistId: f.cardiologist._id as Types.ObjectId,
      content: { reasonForVisit: 'follow-up', findings: 'stable' },
    });
    return consultation;
  }

  async function signAs(service: RunningRecordsService, id: string) {
    const login = await call(service, 'POST', '/api/auth/login', undefined, {
      username: 'cardio',
      password: fixturePassword,
    });
    return call(service, 'POST', `/api/consultations/${id}/sign`, login.body.accessToken, { version: 0 });
  }

  it('queues nothing and sends nothing without FHIR_PUSH_URL', async () => {
    const service = await startRecordsService({ ...config, FHIR_PUSH_URL: undefined }, logger, pushOptions);
    try {
      const consultation = await draftConsultation(48);
      expect((await signAs(service, consultation.id)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const doc = await models.Consultation.findById(consultation._id)
        .select('+fhirOutbox +fhirPushDueAt')
        .lean();
      expect(doc?.fhirOutbox).toBeUndefined();
      expect(doc?.fhirPushDueAt).toBeUndefined();
    } finally {
      await service.stop();
    }
    expect(fhir.requests).toEqual([]);
  });

  it('sends after the restart what was queued before it, with the configured credentials', async () => {
    await fhir.close();
    const first = await startRecordsService(config, logger, pushOptions);
    const consultation = await draftConsultation(24);
    try {
      expect((await signAs(first, consultation.id)).status).toBe(200);
      const deadline = Date.now() + 20_000;
      while (((await outbox(consultation._id))[0]?.attempts ?? 0) < 1) {
        if (Date.now() > deadline) throw new Error('the worker never tried');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await first.stop();
    }
    expect((await outbox(consultation._id))[0]).toMatchObject({ state: 'pending' });

    await fhir.listen();
    const second = await startRecordsService(config, logger, pushOptions);
    try {
      const deadline = Date.now() + 20_000;
      while ((await outbox(consultation._id))[0]?.state !== 'sent') {
        if (Date.now() > deadline) throw new Error('not sent after the restart');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await second.stop();
    }
    expect(await fhir.count('Encounter')).toBe(1);
    const basic = `Basic ${Buffer.from('telemed:push secret').toString('base64')}`;
    expect(fhir.requests.filter((r) => r.method === 'POST').every((r) => r.authorization === basic)).toBe(
      true,
    );
  }, 60_000);
});
