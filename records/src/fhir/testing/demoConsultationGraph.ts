import type { Icd10Entry, VitalSign } from '@telemed/shared';
import type { ConsultationGraph } from '../mapping/mappingInputs.js';

const ids = {
  patient: '64b000000000000000000001',
  clinic: '64b000000000000000000002',
  hospital: '64b000000000000000000003',
  specialist: '64b000000000000000000004',
  clinicDoctor: '64b000000000000000000005',
  appointment: '64b000000000000000000006',
  consultation: '64b000000000000000000007',
  attachment: '64b000000000000000000008',
} as const;

const icd10: Record<string, Icd10Entry> = {
  'E11.9': {
    code: 'E11.9',
    en: 'Type 2 diabetes mellitus without complications',
    ar: 'داء السكري من النوع الثاني بدون مضاعفات',
  },
  I10: { code: 'I10', en: 'Essential (primary) hypertension', ar: 'ارتفاع ضغط الدم الأساسي' },
  'J06.9': {
    code: 'J06.9',
    en: 'Acute upper respiratory infection, unspecified',
    ar: 'عدوى حادة في الجهاز التنفسي العلوي',
  },
};

const takenAt = '2026-03-02T08:10:00.000Z';
const recorded = (id: string) => ({
  id,
  recordedBy: ids.clinicDoctor,
  recordedAt: '2026-03-02T08:11:00.000Z',
  takenAt,
});

/** Every kind of vital sign the clinic records, once. */
export const demoVitalSigns: VitalSign[] = [
  {
    kind: 'blood-pressure',
    systolic: 150,
    diastolic: 95,
    unit: 'mmHg',
    ...recorded('0f6a1d2e-0000-4000-8000-000000000001'),
  },
  { kind: 'heart-rate', value: 88, unit: '/min', ...recorded('0f6a1d2e-0000-4000-8000-000000000002') },
  { kind: 'respiratory-rate', value: 18, unit: '/min', ...recorded('0f6a1d2e-0000-4000-8000-000000000003') },
  { kind: 'temperature', value: 37.2, unit: 'Cel', ...recorded('0f6a1d2e-0000-4000-8000-000000000004') },
  { kind: 'spo2', value: 97, unit: '%', ...recorded('0f6a1d2e-0000-4000-8000-000000000005') },
  { kind: 'blood-glucose', value: 182, unit: 'mg/dL', ...recorded('0f6a1d2e-0000-4000-8000-000000000006') },
  { kind: 'weight', value: 86.5, unit: 'kg', ...recorded('0f6a1d2e-0000-4000-8000-000000000007') },
  { kind: 'height', value: 172, unit: 'cm', ...recorded('0f6a1d2e-0000-4000-8000-000000000008') },
];

const signedContent = {
  reasonForVisit: 'Follow-up of raised blood sugar and headaches',
  history: 'Thirst and polyuria for two months; occasional morning headaches.',
  findings: 'Alert, BMI 29. No oedema. Fundi not examined.',
  diagnoses: [
    { code: 'E11.9', text: 'Type 2 diabetes, newly diagnosed', kind: 'primary' as const },
    { code: 'J06.9', text: 'Common cold', kind: 'secondary' as const },
  ],
  plan: 'Metformin 500 mg twice daily; HbA1c and lipid profile.',
  recommendations: 'Diet counselling; walk 30 minutes a day.',
  referral: null,
  followUpDate: '2026-04-02',
};

/**
 * A demo-like consultation with everything FHIR carries: all vital kinds, two diagnoses, a referral, an
 * attachment, chat, signed and then amended (the amendment swapped a diagnosis and added the referral).
 */
export function demoConsultationGraph(): ConsultationGraph {
  return {
    consultation: {
      id: ids.consultation,
      appointmentId: ids.appointment,
      patientId: ids.patient,
      clinicId: ids.clinic,
      specialistId: ids.specialist,
      status: 'signed',
      version: 6,
      content: {
        ...signedContent,
        diagnoses: [
          { code: 'E11.9', text: 'Type 2 diabetes, newly diagnosed', kind: 'primary' },
          { code: 'I10', text: 'Hypertension, stage 2', kind: 'secondary' },
        ],
        referral: {
          specialty: 'cardiology',
          facility: 'Kasr Al Ainy hospital',
          reason: 'Hypertension with diabetes: cardiovascular assessment',
          urgency: 'routine',
        },
      },
      vitalSigns: demoVitalSigns,
      chat: [
        {
          id: '1c0e6b7a-0000-4000-8000-000000000001',
          authorId: ids.clinicDoctor,
          authorRole: 'clinic_doctor',
          text: 'The patient is here; BP is high today.',
          at: new Date('2026-03-02T08:16:00.000Z'),
        },
        {
          id: '1c0e6b7a-0000-4000-8000-000000000002',
          authorId: ids.specialist,
          authorRole: 'specialist',
          text: 'Thank you, please repeat it after 5 minutes.',
          at: new Date('2026-03-02T08:17:00.000Z'),
        },
      ],
      attachments: [
        {
          id: ids.attachment,
          fileName: 'fasting-glucose.pdf',
          contentType: 'application/pdf',
          size: 48213,
          sha1: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=',
          uploadedBy: ids.clinicDoctor,
          uploadedAt: new Date('2026-03-02T08:12:00.000Z'),
        },
      ],
      signedAt: new Date('2026-03-02T08:45:00.000Z'),
      signedBy: ids.specialist,
      amendments: [
        {
          version: 5,
          at: new Date('2026-03-03T10:00:00.000Z'),
          by: ids.specialist,
          reason: 'Repeated BP confirms hypertension; the cold was not confirmed; refer to cardiology.',
          previous: signedContent,
        },
      ],
      createdAt: new Date('2026-03-02T08:05:00.000Z'),
      updatedAt: new Date('2026-03-03T10:00:00.000Z'),
    },
    appointment: {
      id: ids.appointment,
      kind: 'scheduled',
      clinicId: ids.clinic,
      patientId: ids.patient,
      specialty: 'endocrinology',
      specialistId: ids.specialist,
      start: new Date('2026-03-02T08:00:00.000Z'),
      end: new Date('2026-03-02T08:30:00.000Z'),
      reason: 'Raised blood sugar',
      priority: 'routine',
      status: 'completed',
      statusHistory: [
        { status: 'scheduled', at: new Date('2026-02-25T09:00:00.000Z') },
        { status: 'waiting', at: new Date('2026-03-02T08:02:00.000Z') },
        { status: 'in-progress', at: new Date('2026-03-02T08:15:00.000Z') },
        { status: 'completed', at: new Date('2026-03-02T08:40:00.000Z') },
      ],
      specialistJoinedAt: new Date('2026-03-02T08:15:00.000Z'),
      completedAt: new Date('2026-03-02T08:40:00.000Z'),
      createdBy: ids.clinicDoctor,
      createdAt: new Date('2026-02-25T09:00:00.000Z'),
    },
    patient: {
      id: ids.patient,
      clinicId: ids.clinic,
      mrn: 'SHB-000123',
      nationalId: '28503120101234',
      name: { ar: 'أحمد محمد علي', latin: 'Ahmed Mohamed Ali' },
      sex: 'male',
      birthDate: '1985-03-12',
      phone: '+201001234567',
    },
    clinic: {
      id: ids.clinic,
      kind: 'clinic',
      name: { ar: 'وحدة صحة شبين', en: 'Shebin Health Unit' },
      governorate: 'Menofia',
      district: 'Shebin El Kom',
      address: '12 Gamal Abdel Nasser St.',
      phone: '+20482221111',
      active: true,
    },
    hospital: {
      id: ids.hospital,
      kind: 'hospital',
      name: { ar: 'مستشفى القصر العيني', en: 'Kasr Al Ainy Hospital' },
      governorate: 'Cairo',
      district: 'Old Cairo',
      active: true,
    },
    specialist: {
      id: ids.specialist,
      name: { ar: 'منى حسن', latin: 'Mona Hassan' },
      role: 'specialist',
      organizationId: ids.hospital,
      specialty: 'endocrinology',
      email: 'mona.hassan@example.org',
      active: true,
    },
    clinicDoctor: {
      id: ids.clinicDoctor,
      name: { ar: 'سامي عبد الله', latin: 'Samy Abdallah' },
      role: 'clinic_doctor',
      organizationId: ids.clinic,
      phone: '+201112223334',
      active: true,
    },
    otherPeople: [],
    icd10: (code) => icd10[code],
  };
}

export const demoIds = ids;
