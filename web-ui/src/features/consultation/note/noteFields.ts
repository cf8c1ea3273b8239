import { type ConsultationContent, consultationContentSchema } from '@telemed/shared';
import type { z } from 'zod';
import type { MessageKey } from '../../../i18n/catalog.js';

/** What the specialist writes in the note: the shared content schema's opinion fields, nothing else. */
export const noteFormSchema = consultationContentSchema.pick({
  findings: true,
  diagnoses: true,
  plan: true,
  recommendations: true,
  referral: true,
  followUpDate: true,
});
export type NoteForm = z.input<typeof noteFormSchema>;
export type NoteField = keyof NoteForm;
export const noteFields = Object.keys(noteFormSchema.shape) as NoteField[];

/** The form's values for a stored content: absent text is '', absent lists empty, absent choices null. */
export function noteFormOf(content: Partial<ConsultationContent>): NoteForm {
  return {
    findings: content.findings ?? '',
    diagnoses: content.diagnoses ?? [],
    plan: content.plan ?? '',
    recommendations: content.recommendations ?? '',
    referral: content.referral ?? null,
    followUpDate: content.followUpDate ?? null,
  };
}

/** Key order does not make two values different (a stored object may come back with its keys reordered). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

/** The fields of `current` that differ from `base`: what an autosave sends. */
export function changedFields(base: NoteForm, current: NoteForm): Partial<NoteForm> {
  const changes: Partial<Record<NoteField, unknown>> = {};
  for (const field of noteFields) {
    if (!sameValue(base[field], current[field])) changes[field] = current[field];
  }
  return changes as Partial<NoteForm>;
}

export interface NoteMerge {
  /** What the form holds after the merge: their changes where only they changed a field, ours elsewhere. */
  merged: NoteForm;
  /** Fields both sides changed differently since `base`: the person chooses. */
  conflicts: NoteField[];
}

/**
 * A three-way merge after a stale write. A vital sign or another tab's edit to a field this editor did not
 * touch is no conflict: the other side's value is taken and our edits are saved over the new version. Only a
 * field both changed, to different values, needs the person.
 */
export function mergeNote(base: NoteForm, mine: NoteForm, theirs: NoteForm): NoteMerge {
  const merged = { ...mine } as Record<NoteField, unknown>;
  const conflicts: NoteField[] = [];
  for (const field of noteFields) {
    const mineChanged = !sameValue(mine[field], base[field]);
    const theirsChanged = !sameValue(theirs[field], base[field]);
    if (!mineChanged) merged[field] = theirs[field];
    else if (theirsChanged && !sameValue(mine[field], theirs[field])) conflicts.push(field);
  }
  return { merged: merged as NoteForm, conflicts };
}

/** Each field's name, as the editor labels it (also in the conflict resolver and the amendment history). */
export const noteFieldLabels: Record<NoteField, MessageKey> = {
  findings: 'note.findings',
  diagnoses: 'note.diagnoses',
  plan: 'note.plan',
  recommendations: 'note.recommendations',
  referral: 'note.referral',
  followUpDate: 'note.followUp',
};
