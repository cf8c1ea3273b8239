import { type VitalSignInput, vitalSignInputSchema } from '@telemed/shared';
import type { MessageKey } from '../../../i18n/catalog.js';

export type VitalKind = VitalSignInput['kind'];

export const vitalKinds = vitalSignInputSchema.options.map(
  (option) => option.shape.kind.value,
) as VitalKind[];

/** The unit records stores each kind in (the schema's literal), and the words shown for it. */
export const unitOf = Object.fromEntries(
  vitalSignInputSchema.options.map((option) => [option.shape.kind.value, option.shape.unit.value]),
) as Record<VitalKind, VitalSignInput['unit']>;

export const unitLabels: Record<VitalSignInput['unit'], MessageKey> = {
  mmHg: 'panels.unit.mmHg',
  '/min': 'panels.unit.perMinute',
  Cel: 'panels.unit.celsius',
  '%': 'panels.unit.percent',
  'mg/dL': 'panels.unit.mgdl',
  kg: 'panels.unit.kg',
  cm: 'panels.unit.cm',
};

/** What the form holds: the measured numbers (NaN when a field is empty or not a number). */
export interface VitalFormValues {
  kind: VitalKind;
  value: number;
  systolic: number;
  diastolic: number;
}

export type VitalField = 'value' | 'systolic' | 'diastolic';

/** The shared schema's own bounds of a field, for the message that says what is allowed. */
export function boundsOf(kind: VitalKind, field: VitalField): { min: number; max: number } {
  const option = vitalSignInputSchema.options.find((o) => o.shape.kind.value === kind);
  const shape = option?.shape as unknown as Record<
    string,
    { minValue: number | null; maxValue: number | null }
  >;
  const number = shape?.[field];
  return { min: number?.minValue ?? 0, max: number?.maxValue ?? 0 };
}

/** The record records takes, built from the form for its kind (the schema is strict: no other kind's fields). */
export function toVitalSignInput(values: VitalFormValues, takenAt: Date): unknown {
  const common = { kind: values.kind, unit: unitOf[values.kind], takenAt: takenAt.toISOString() };
  return values.kind === 'blood-pressure'
    ? { ...common, systolic: values.systolic, diastolic: values.diastolic }
    : { ...common, value: values.value };
}

const easternDigits = '٠١٢٣٤٥٦٧٨٩';
const persianDigits = '۰۱۲۳۴۵۶۷۸۹';

/** A number as typed on an Arabic keyboard too: Arabic-Indic digits and the Arabic decimal separator. */
export function parseTypedNumber(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string' || text.trim() === '') return Number.NaN;
  const latin = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(easternDigits.indexOf(d)))
    .replace(/[۰-۹]/g, (d) => String(persianDigits.indexOf(d)))
    .replace(/[٫,]/g, '.');
  return /^-?\d+(\.\d+)?$/.test(latin) ? Number(latin) : Number.NaN;
}
