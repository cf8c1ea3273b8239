import type { Consultation, ConsultationContent } from '@telemed/shared';
import { type NoteField, noteFields, sameValue } from '../consultation/note/noteFields.js';

export interface NoteFieldChange {
  field: NoteField;
  before: unknown;
  after: unknown;
}

export interface NoteVersionStep {
  /** The version the amendment replaced (the signed text, or an earlier amendment). */
  version: number;
  at: string;
  by: string;
  reason: string;
  changes: NoteFieldChange[];
}

/**
 * The note's amendments, newest first, each with the fields it changed: what they said before (records keeps
 * it as `previous`) and what they said after (the next amendment's `previous`, or the note as it stands).
 */
export function noteVersionSteps(record: Pick<Consultation, 'amendments' | 'content'>): NoteVersionStep[] {
  const steps = record.amendments.map((amendment, index) => {
    const after: Partial<ConsultationContent> = record.amendments[index + 1]?.previous ?? record.content;
    const changes = noteFields
      .filter((field) => !sameValue(amendment.previous[field] ?? null, after[field] ?? null))
      .map((field) => ({ field, before: amendment.previous[field], after: after[field] }));
    return {
      version: amendment.version,
      at: amendment.at,
      by: amendment.by,
      reason: amendment.reason,
      changes,
    };
  });
  return steps.reverse();
}

/** A field's value as one line of text, for the before/after of a change. */
export function noteValueText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) {
    return value
      .map((d: { code?: string; text?: string }) => `${d.code ?? ''} ${d.text ?? ''}`.trim())
      .join('\n');
  }
  if (typeof value === 'object') {
    const referral = value as { reason?: string; facility?: string };
    return [referral.facility, referral.reason].filter(Boolean).join(' — ');
  }
  return String(value);
}
