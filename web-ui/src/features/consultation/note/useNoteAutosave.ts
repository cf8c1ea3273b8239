import { type Consultation, RecordsApiError } from '@telemed/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useSession } from '../../../session/SessionProvider.js';
import {
  changedFields,
  mergeNote,
  type NoteField,
  type NoteForm,
  noteFormOf,
  noteFormSchema,
} from './noteFields.js';

/** What the indicator says: all saved, typing not yet sent, being sent, unreachable, or waiting on the person. */
export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'offline' | 'invalid' | 'conflict' | 'failed';

export interface NoteConflict {
  fields: NoteField[];
  /** The other side's values, at the version the next save is made against. */
  theirs: NoteForm;
}

export interface NoteAutosave {
  status: AutosaveStatus;
  conflict: NoteConflict | null;
  /** Records' message for a save that failed for another reason (e.g. signed meanwhile). */
  failure: string | null;
  /** The record's version the next write is made against. */
  version(): number;
  /** The person chose, per conflicting field, whose value stays; saved against the new version. */
  resolveConflict(choices: Partial<Record<NoteField, 'mine' | 'theirs'>>): void;
  /** Sends what is not saved yet and waits for it: true when everything is saved. */
  flush(): Promise<boolean>;
}

/** Typing pauses this long before a save, so a save is not sent per keystroke. */
export const autosaveDelayMs = 800;
/** Unreachable records: try again after this long, or as soon as the browser says it is online. */
const offlineRetryMs = 5000;

/**
 * Autosaves the note's form with the record's version (optimistic concurrency). A stale write is merged
 * three ways: fields only the other side changed are taken in, ours are saved over the new version, and a
 * field both changed waits for the person (`conflict`) before anything more is sent.
 */
export function useNoteAutosave(
  consultation: Consultation,
  form: UseFormReturn<NoteForm>,
  options: { enabled: boolean; onRecord(record: Consultation): void },
): NoteAutosave {
  const { client } = useSession();
  const [status, setStatus] = useState<AutosaveStatus>('saved');
  const [conflict, setConflict] = useState<NoteConflict | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const version = useRef(consultation.version);
  /** What records holds at `version`, as the form would show it: the diff base of every save. */
  const base = useRef<NoteForm>(noteFormOf(consultation.content));
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const conflicted = useRef(false);
  const enabled = useRef(options.enabled);
  enabled.current = options.enabled;
  /** The save loop, for the offline retry scheduled from inside it. */
  const retry = useRef<() => Promise<void>>(async () => {});
  const onRecord = useRef(options.onRecord);
  onRecord.current = options.onRecord;

  const takeIn = useCallback((record: Consultation) => {
    version.current = record.version;
    onRecord.current(record);
  }, []);

  /** After a stale write: the record as it is now, merged with the form. True when no field is contested. */
  const rebase = useCallback(async (): Promise<boolean> => {
    const record = await client.call('getConsultation', { params: { id: consultation.id } });
    const theirs = noteFormOf(record.content);
    const mine = form.getValues();
    const { merged, conflicts } = mergeNote(base.current, mine, theirs);
    base.current = theirs;
    takeIn(record);
    for (const field of Object.keys(changedFields(mine, merged)) as NoteField[]) {
      form.setValue(field, merged[field] as never, { shouldDirty: false });
    }
    if (conflicts.length === 0 || record.status !== 'draft') return true;
    conflicted.current = true;
    setConflict({ fields: conflicts, theirs });
    setStatus('conflict');
    return false;
  }, [client, consultation.id, form, takeIn]);

  const saveOnce = useCallback(async (): Promise<void> => {
    const changes = changedFields(base.current, form.getValues());
    const valid: Partial<Record<NoteField, unknown>> = {};
    const invalid: NoteField[] = [];
    for (const [field, value] of Object.entries(changes) as [NoteField, unknown][]) {
      const parsed = noteFormSchema.shape[field].safeParse(value);
      if (parsed.success) valid[field] = parsed.data;
      else invalid.push(field);
    }
    // A field that does not pass its schema yet (a referral without its reason) waits; the rest is saved.
    if (invalid.length > 0) void form.trigger(invalid);
    if (Object.keys(valid).length === 0) {
      setStatus(invalid.length > 0 ? 'invalid' : 'saved');
      return;
    }
    setStatus('saving');
    try {
      const record = await client.call('editConsultation', {
        params: { id: consultation.id },
        body: { version: version.current, changes: valid as Partial<NoteForm> },
      });
      // The base is what was sent, not records' trimmed copy: else a trailing space would be resent forever.
      base.current = {
        ...base.current,
        ...(Object.fromEntries(
          Object.keys(valid).map((field) => [field, changes[field as NoteField]]),
        ) as Partial<NoteForm>),
      };
      takeIn(record);
      setFailure(null);
      const left = changedFields(base.current, form.getValues());
      setStatus(Object.keys(left).length === 0 ? 'saved' : invalid.length > 0 ? 'invalid' : 'pending');
    } catch (error) {
      if (error instanceof RecordsApiError && error.code === 'STALE_WRITE') {
        if (await rebase()) again.current = true;
        return;
      }
      if (error instanceof RecordsApiError && error.network) {
        setStatus('offline');
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void retry.current(), offlineRetryMs);
        return;
      }
      setFailure(error instanceof Error ? error.message : String(error));
      setStatus('failed');
    }
  }, [client, consultation.id, form, rebase, takeIn]);

  const runSave = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (conflicted.current || !enabled.current) return;
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const work = (async () => {
      do {
        again.current = false;
        await saveOnce();
      } while (again.current && !conflicted.current);
    })();
    inFlight.current = work;
    try {
      await work;
    } finally {
      inFlight.current = null;
    }
  }, [saveOnce]);
  retry.current = runSave;

  useEffect(() => {
    const subscription = form.watch((_values, { type }) => {
      // Only the person's typing schedules a save; values set by a merge are already records' own.
      if (type !== 'change' || conflicted.current || !enabled.current) return;
      setStatus('pending');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void runSave(), autosaveDelayMs);
    });
    const online = () => void runSave();
    window.addEventListener('online', online);
    return () => {
      subscription.unsubscribe();
      window.removeEventListener('online', online);
      clearTimeout(timer.current);
    };
  }, [form, runSave]);

  const resolveConflict = useCallback(
    (choices: Partial<Record<NoteField, 'mine' | 'theirs'>>) => {
      const current = conflict;
      if (!current) return;
      for (const field of current.fields) {
        if (choices[field] === 'theirs') {
          form.setValue(field, current.theirs[field] as never, { shouldDirty: false });
        }
      }
      conflicted.current = false;
      setConflict(null);
      void runSave();
    },
    [conflict, form, runSave],
  );

  const flush = useCallback(async () => {
    await runSave();
    return !conflicted.current && Object.keys(changedFields(base.current, form.getValues())).length === 0;
  }, [form, runSave]);

  return { status, conflict, failure, version: () => version.current, resolveConflict, flush };
}
