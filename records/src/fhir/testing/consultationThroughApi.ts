import type { VitalSignInput } from '@telemed/shared';

/** How a test calls the records API: `RecordsTestServer.call`'s shape. */
export type ApiCall = (
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; rawBody?: Buffer; headers?: Record<string, string> },
) => Promise<{ status: number; body: unknown }>;

const takenAt = () => new Date(Date.now() - 5 * 60_000).toISOString();

/** One of each vital sign the clinic records. */
export const everyVitalSign = (): VitalSignInput[] => [
  { kind: 'blood-pressure', systolic: 148, diastolic: 94, unit: 'mmHg', takenAt: takenAt() },
  { kind: 'heart-rate', value: 86, unit: '/min', takenAt: takenAt() },
  { kind: 'respiratory-rate', value: 17, unit: '/min', takenAt: takenAt() },
  { kind: 'temperature', value: 37.1, unit: 'Cel', takenAt: takenAt() },
  { kind: 'spo2', value: 97, unit: '%', takenAt: takenAt() },
  { kind: 'blood-glucose', value: 176, unit: 'mg/dL', takenAt: takenAt() },
  { kind: 'weight', value: 84.5, unit: 'kg', takenAt: takenAt() },
  { kind: 'height', value: 171, unit: 'cm', takenAt: takenAt() },
];

/** A small but real PNG (its signature and an IHDR chunk), as the attachment route checks the magic number. */
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e9a8b50000000049454e44ae426082',
  'hex',
);

/**
 * A whole consultation as the clinic doctor and the specialist write it through the records API, on an
 * appointment of theirs: the clinic doctor opens it, records every vital sign and the history, and uploads an
 * X-ray; both chat; the specialist writes findings, two diagnoses, plan, recommendations, a referral and a
 * follow-up date, and signs. Answers the consultation's id and its signed version.
 */
export async function signConsultationThroughApi(
  call: ApiCall,
  appointmentId: string,
  tokens: { clinicDoctor: string; specialist: string },
): Promise<{ id: string; version: number }> {
  const expectStatus = (what: string, answer: { status: number; body: unknown }, status: number) => {
    if (answer.status !== status)
      throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  };
  const opened = await call('GET', `/api/appointments/${appointmentId}/consultation`, {
    token: tokens.clinicDoctor,
  });
  expectStatus('open', opened, 200);
  const id = (opened.body as { id: string }).id;
  const versionOf = async () =>
    (
      (await call('GET', `/api/consultations/${id}`, { token: tokens.specialist })).body as {
        version: number;
      }
    ).version;
  for (const vital of everyVitalSign())
    expectStatus(
      `vital ${vital.kind}`,
      await call('POST', `/api/consultations/${id}/vital-signs`, { token: tokens.clinicDoctor, body: vital }),
      201,
    );
  expectStatus(
    'history',
    await call('PATCH', `/api/consultations/${id}`, {
      token: tokens.clinicDoctor,
      body: {
        version: await versionOf(),
        changes: { history: 'Thirst and polyuria for two months; morning headaches.' },
      },
    }),
    200,
  );
  expectStatus(
    'attachment',
    await call('POST', `/api/consultations/${id}/attachments`, {
      token: tokens.clinicDoctor,
      rawBody: png,
      headers: { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('أشعة الصدر.png') },
    }),
    201,
  );
  for (const [token, text] of [
    [tokens.clinicDoctor, 'Sugar was 176 this morning, fasting.'],
    [tokens.specialist, 'Thank you; please repeat it fasting tomorrow.'],
  ] as const)
    expectStatus('chat', await call('POST', `/api/consultations/${id}/chat`, { token, body: { text } }), 201);
  expectStatus(
    'opinion',
    await call('PATCH', `/api/consultations/${id}`, {
      token: tokens.specialist,
      body: {
        version: await versionOf(),
        changes: {
          findings: 'Alert, BMI 29, no oedema; BP raised on two readings.',
          diagnoses: [
            { code: 'E11.9', text: 'Type 2 diabetes, newly diagnosed', kind: 'primary' },
            { code: 'I10', text: 'Essential hypertension', kind: 'secondary' },
          ],
          plan: 'Metformin 500 mg twice daily; HbA1c and lipid profile.',
          recommendations: 'Diet counselling; walk 30 minutes a day.',
          referral: { specialty: 'cardiology', reason: 'Echocardiography', urgency: 'routine' },
          followUpDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        },
      },
    }),
    200,
  );
  const signed = await call('POST', `/api/consultations/${id}/sign`, {
    token: tokens.specialist,
    body: { version: await versionOf() },
  });
  expectStatus('sign', signed, 200);
  return { id, version: (signed.body as { version: number }).version };
}
