import { createHash, generateKeyPairSync } from 'node:crypto';
import { errorBodySchema, refreshCookieName } from '@telemed/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { capturedLogger } from '../testing/capturedLogger.js';
import {
  cardiologyBooking,
  createFixtures,
  fixturePassword,
  signIn,
  tomorrowAt,
} from '../testing/fixtures.js';
import {
  type EncodedBody,
  encodedBody,
  idArbitrary,
  jsonText,
  queryString,
  variantOf,
} from '../testing/fuzzArbitraries.js';
import { listRoutes } from '../testing/listRoutes.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { findBadKeys } from '../testing/storedKeys.js';

/**
 * Property-based fuzzing of every records route, found by walking the app's router: hostile bodies, ids,
 * query strings, encodings and tokens. The service must answer each with a 4xx at worst, stay healthy, and
 * store no key that MongoDB or JavaScript would read as an operator or a prototype.
 *
 * Seeded and bounded: FUZZ_SEED replays a failing run (the seed is printed with the failure), FUZZ_RUNS sets
 * the runs per route (100 runs for each of the forty-odd routes take 15 to 40 s on the shared 2-core machine), and
 * FUZZ_STATS=1 prints how many answers of each status each route gave, to see what the runs reach.
 */
const baseSeed = Number(process.env.FUZZ_SEED ?? 24_2024);
const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 100);

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const { logger, lines } = capturedLogger();
const server: RecordsTestServer = await startRecordsTestServer(undefined, logger);
const routes = listRoutes(server.app);

const systemClientKey = {
  ...generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' }),
  alg: 'ES384',
  kid: 'fuzz-1',
};

/**
 * What a refusal looks like on each surface: FHIR answers an OperationOutcome, the SMART token endpoint an
 * RFC 6749 error, and the JSON API its `{ error }` body.
 */
const operationOutcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(z.object({ severity: z.string(), code: z.string() })).min(1),
});
const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
function refusalSchemaOf(path: string): z.ZodType {
  if (path.startsWith('/fhir')) return operationOutcomeSchema;
  if (path.startsWith('/auth/')) return oauthErrorSchema;
  return errorBodySchema;
}

/** A valid body for each route that takes one, which the fuzzer bends: a new route must add its own. */
type Ids = Record<string, string>;
const validBodies: Record<string, (ids: Ids) => unknown> = {
  'POST /api/auth/login': () => ({ username: 'cardio', password: fixturePassword }),
  'POST /api/auth/refresh': () => ({}),
  'POST /api/auth/logout': () => ({}),
  'POST /api/auth/password': () => ({
    currentPassword: fixturePassword,
    newPassword: 'a much longer password',
  }),
  'POST /api/organizations': () => ({
    kind: 'hospital',
    name: { ar: 'مستشفى', en: 'Hospital' },
    governorate: 'Assiut',
    district: 'Abnoub',
    specialties: ['cardiology'],
    timeZone: 'Africa/Cairo',
  }),
  'PATCH /api/organizations/:id': () => ({ address: 'شارع الجمهورية', phone: '+20 100 000 0000' }),
  'POST /api/users': (ids) => ({
    username: 'fuzzed.user',
    password: 'long enough password',
    role: 'specialist',
    specialty: 'cardiology',
    organizationId: ids.hospital,
    name: { ar: 'د. سامي', latin: 'Dr Sami' },
    email: 'sami@example.org',
  }),
  'PATCH /api/users/:id': () => ({ name: { ar: 'د. سامي', latin: 'Dr Sami' }, phone: '+20 100 000 0001' }),
  'PUT /api/specialists/:id/availability': () => ({
    timeZone: 'Africa/Cairo',
    weekly: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    exceptions: [{ from: '2031-01-01', to: '2031-01-02', reason: 'leave' }],
  }),
  'POST /api/patients': () => ({
    mrn: 'F-1',
    name: { ar: 'سامية علي', latin: 'Samia Ali' },
    sex: 'female',
    birthDate: '1990-01-01',
    phone: '+20 100 000 0002',
    allergies: ['dust'],
    chronicConditions: ['asthma'],
    currentMedications: [{ name: 'salbutamol', dose: '2 puffs' }],
  }),
  'PATCH /api/patients/:id': () => ({ allergies: ['dust'], name: { ar: 'فاطمة علي', latin: 'Fatma Ali' } }),
  'POST /api/appointments': (ids) => ({
    clinicId: ids.clinicA,
    patientId: ids.patientA,
    specialty: 'cardiology',
    specialistId: ids.cardiologist,
    start: tomorrowAt(12),
    end: tomorrowAt(12, 30),
    reason: 'chest pain',
    priority: 'urgent',
  }),
  'POST /api/appointments/:id/status': () => ({ status: 'waiting', note: 'arrived' }),
  'POST /api/appointments/:id/invitations': (ids) => ({ specialistId: ids.dermatologist }),
  'POST /api/appointments/:id/call-events': (ids) => ({ kind: 'admitted', participantId: ids.doctorA }),
  'POST /api/signaling-refusals': (ids) => ({
    event: 'room:admit',
    code: 'FORBIDDEN',
    appointmentId: ids.appointmentA,
    message: 'Only the consultation’s specialist may do this.',
  }),
  'POST /api/urgent-requests': (ids) => ({
    patientId: ids.patientA,
    specialty: 'cardiology',
    reason: 'pain',
  }),
  'POST /api/urgent-requests/:id/pick': () => ({}),
  'POST /api/fhir-push/:consultationId/:version/retry': () => ({}),
  'POST /api/system-clients': () => ({
    name: 'Hospital EHR',
    publicKey: systemClientKey,
    scopes: ['system/*.read'],
  }),
  'POST /api/system-clients/:id/deactivate': () => ({}),
  // Form-encoded, as SMART Backend Services sends it; the assertion is well-formed but signed by no client.
  'POST /auth/token': () =>
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion:
        'eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiI2NTRhYmNkZWYwMTIzNDU2Nzg5MGFiY2QiLCJzdWIiOiI2NTRhYmNkZWYwMTIzNDU2Nzg5MGFiY2QifQ.c2ln',
      scope: 'system/*.read',
    }).toString(),
  'PATCH /api/consultations/:id': () => ({
    version: 0,
    changes: {
      findings: 'murmur',
      diagnoses: [{ code: 'I10', text: 'hypertension', kind: 'primary' }],
      referral: { specialty: 'cardiology', reason: 'echo', urgency: 'routine' },
      followUpDate: '2031-01-01',
    },
  }),
  'POST /api/consultations/:id/vital-signs': () => ({
    kind: 'heart-rate',
    value: 80,
    unit: '/min',
    takenAt: new Date().toISOString(),
  }),
  'POST /api/consultations/:id/chat': () => ({ text: 'مرحبا', clientMessageId: 'c-1' }),
  'POST /api/consultations/:id/attachments': () => '%PDF-1.4\n%fuzz',
  'POST /api/consultations/:id/sign': () => ({ version: 0 }),
  'POST /api/consultations/:id/amendments': () => ({
    version: 1,
    reason: 'a typo',
    changes: { plan: 'rest' },
  }),
};

/** Queries some reads need to get past validation, which the fuzzer extends or drops. */
const validQueries: Record<string, string> = {
  'GET /api/reports/consultations': 'from=2024-01-01&to=2031-12-31&groupBy=day&format=csv',
  'GET /api/icd10': 'q=diab',
  'GET /api/patients': 'q=fatma&page=1&limit=5',
  'GET /api/audit-events': 'outcome=denied&resourceType=patients',
  'GET /api/appointments': 'status=scheduled',
  'GET /api/specialists/:id/busy': 'from=2031-01-01T00:00:00Z&to=2031-01-08T00:00:00Z',
};

/** The kind of id a path parameter names, from the path segment before it: `/patients/:id` names a patient. */
const idKinds: Record<string, RegExp> = {
  patients: /^patient/,
  consultations: /^consultation/,
  appointments: /^appointment/,
  'urgent-requests': /^appointment/,
  users: /^(admin|doctor|cardiologist|dermatologist)/,
  specialists: /^(cardiologist|dermatologist)/,
  organizations: /^(hospital|clinic)/,
  attachments: /^attachment/,
  invitations: /^(cardiologist|dermatologist)/,
};

const tokens: Record<string, string> = {};
const ids: Ids = {};

beforeAll(async () => {
  const f = await createFixtures(server.models);
  for (const name of ['admin', 'auditor', 'doctor.a', 'doctor.b', 'cardio', 'derma']) {
    tokens[name] = await signIn(server, name);
  }
  Object.assign(ids, {
    hospital: f.hospital.id,
    clinicA: f.clinicA.id,
    clinicB: f.clinicB.id,
    admin: f.admin.id,
    doctorA: f.doctorA.id,
    doctorB: f.doctorB.id,
    cardiologist: f.cardiologist.id,
    dermatologist: f.dermatologist.id,
    patientA: f.patientA.id,
    patientB: f.patientB.id,
  });
  // An appointment and a consultation in each clinic: real ids of this tenant and of another.
  for (const [tenant, hour] of [
    ['A', 9],
    ['B', 11],
  ] as const) {
    const booked = await server.call('POST', '/api/appointments', {
      token: tokens.admin,
      body: cardiologyBooking(f, {
        clinicId: ids[`clinic${tenant}`],
        patientId: ids[`patient${tenant}`],
        start: tomorrowAt(hour),
        end: tomorrowAt(hour, 30),
      }),
    });
    expect(booked.status).toBe(201);
    ids[`appointment${tenant}`] = booked.body.id;
    const consultation = await server.call('GET', `/api/appointments/${booked.body.id}/consultation`, {
      token: tokens.cardio,
    });
    expect(consultation.status).toBe(200);
    ids[`consultation${tenant}`] = consultation.body.id;
  }
  const attachment = await server.call('POST', `/api/consultations/${ids.consultationA}/attachments`, {
    token: tokens.cardio,
    rawBody: Buffer.from('%PDF-1.4\n%seed'),
    headers: { 'content-type': 'application/pdf' },
  });
  expect(attachment.status).toBe(201);
  ids.attachment = attachment.body.id;
});

/** Answers by route and status, printed with FUZZ_STATS=1. */
const stats: Record<string, number> = {};
afterAll(() => {
  if (process.env.FUZZ_STATS) console.log(stats);
  return server.stop();
});

interface FuzzedRequest {
  path: string;
  token: string | undefined;
  body: EncodedBody | undefined;
  extraHeaders: Record<string, string>;
}

const tokenArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('admin', 'auditor', 'doctor.a', 'doctor.b', 'cardio', 'derma') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('garbage-token-xxxxxxxx', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.') },
);

const headerArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record({
      cookie: fc.constantFrom(
        `${refreshCookieName}=${'x'.repeat(40)}`,
        `${refreshCookieName}=%zz`,
        `${refreshCookieName}=j%3A%7B%22%24gt%22%3A%22%22%7D`,
        `${refreshCookieName}=${'a'.repeat(500)}`,
        '__proto__=1',
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      'x-file-name': fc.constantFrom(
        '%zz',
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        'a'.repeat(1_000),
        '%E2%80%AE.pdf',
      ),
      'accept-language': fc.constantFrom('ar', 'en', '*', 'xx-YY;q=0.5'),
    }),
  },
);

function rawContentTypesOf(path: string): string[] {
  const types = ['application/pdf', 'image/png', 'image/jpeg', 'text/html', 'application/json', ''];
  return path.startsWith('/auth/') ? ['application/x-www-form-urlencoded', ...types] : types;
}

function requestArbitrary(method: string, path: string): fc.Arbitrary<FuzzedRequest> {
  const realIds = Object.values(ids);
  const params = [...path.matchAll(/([^/]+)\/(:[A-Za-z]+)/g)].map(([, segment, param]) => {
    const kind = idKinds[segment ?? ''];
    const expected = kind ? Object.entries(ids).filter(([name]) => kind.test(name)) : [];
    return {
      param: param ?? '',
      ids: idArbitrary(
        expected.map(([, id]) => id),
        realIds,
      ),
    };
  });
  const valid = validBodies[`${method} ${path}`];
  const takesBody = method !== 'GET' && method !== 'HEAD';
  const bodyText = valid ? fc.oneof({ weight: 4, arbitrary: variantOf(valid(ids)) }, jsonText) : jsonText;
  const isRaw = typeof valid?.(ids) === 'string';
  const rawBody = fc
    .tuple(
      fc.oneof(
        fc.constant(String(valid?.(ids))),
        fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      fc.constantFrom(...rawContentTypesOf(path)),
    )
    .chain(([text, contentType]) =>
      encodedBody(fc.constant(text)).map((encoded) => ({
        body: encoded.body,
        headers: { ...encoded.headers, 'content-type': contentType },
      })),
    );
  return fc.record({
    path: fc
      .tuple(fc.tuple(...params.map((p) => p.ids)), queryString(validQueries[`${method} ${path}`]))
      .map(([values, query]) => {
        let resolved = path;
        params.forEach(({ param }, i) => {
          resolved = resolved.replace(param, values[i] ?? '');
        });
        return `${resolved}${query}`;
      }),
    token: tokenArbitrary.map((name) => (name === undefined ? undefined : (tokens[name] ?? name))),
    body: takesBody
      ? fc.oneof({ weight: 9, arbitrary: isRaw ? rawBody : encodedBody(bodyText) }, fc.constant(undefined))
      : fc.constant(undefined),
    extraHeaders: headerArbitrary,
  });
}

async function send(method: string, request: FuzzedRequest): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'accept-language': 'en', ...request.extraHeaders };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body) Object.assign(headers, request.body.headers);
  const res = await fetch(`${server.baseUrl}${request.path}`, {
    method,
    headers,
    body: request.body?.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** A route's own seed, derived from the base seed, so that adding a route does not change the others' runs. */
function seedOf(method: string, path: string): number {
  return (baseSeed ^ createHash('sha256').update(`${method} ${path}`).digest().readInt32BE(0)) | 0;
}

describe('fuzzing every records route', () => {
  it('knows a valid body for every route that takes one', () => {
    const withBody = routes
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))
      .map((r) => `${r.method} ${r.path}`);
    expect(withBody.filter((key) => !(key in validBodies))).toEqual([]);
    expect(Object.keys(validBodies).filter((key) => !withBody.includes(key))).toEqual([]);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers hostile requests with a 4xx at worst and stays healthy',
    async (_name, { method, path }) => {
      const seed = seedOf(method, path);
      try {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(method, path), async (request) => {
            const { status, text } = await send(method, request);
            if (process.env.FUZZ_STATS)
              stats[`${method} ${path} ${status}`] = (stats[`${method} ${path} ${status}`] ?? 0) + 1;
            expect(status, text.slice(0, 300)).toBeLessThan(500);
            // The path as sent (`/fhir/..` reaches `/`, the JSON API's 404), not the route's template.
            const sentPath = new URL(request.path, server.baseUrl).pathname;
            if (status >= 400 && text.startsWith('{')) refusalSchemaOf(sentPath).parse(JSON.parse(text));
          }),
          { seed, numRuns: runsPerRoute },
        );
      } catch (error) {
        throw new Error(`fuzzing ${method} ${path} failed (replay with FUZZ_SEED=${baseSeed})`, {
          cause: error,
        });
      }
      const health = await fetch(`${server.baseUrl}/healthz`);
      expect(health.status).toBe(200);
    },
    120_000,
  );

  it('stored no key that starts with "$" or is "__proto__", in any collection', async () => {
    const db = server.connection.db;
    if (!db) throw new Error('no database');
    const bad: string[] = [];
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        bad.push(...findBadKeys(doc).map((path) => `${name} ${String(doc._id)}: ${path}`));
      }
    }
    expect(bad).toEqual([]);
  });

  it('left no error-level log line and no polluted prototype', () => {
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });
});
