import { Button, Group, Stack } from '@mantine/core';
import { type Consultation, consultationAmendmentSchema } from '@telemed/shared';
import { useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useRecordsAction } from '../../../records/useRecordsAction.js';
import { useSession } from '../../../session/SessionProvider.js';
import { FreeTextarea } from './FreeTextarea.js';
import { NoteActionButtons } from './NoteActionButtons.js';
import { changedFields, type NoteForm, noteFormOf } from './noteFields.js';

const reasonSchema = consultationAmendmentSchema.shape.reason;

/**
 * After signing, the note changes only by an amendment: records keeps the signed text beside the new one,
 * with the reason given here. Not autosaved: an amendment is one deliberate act.
 */
export function NoteAmendment({
  record,
  form,
  amending,
  onAmendingChange,
  onAmended,
}: {
  record: Consultation;
  form: UseFormReturn<NoteForm>;
  amending: boolean;
  onAmendingChange(amending: boolean): void;
  onAmended(record: Consultation): void;
}) {
  const t = useT();
  const { client } = useSession();
  const [reason, setReason] = useState('');
  const saving = useRecordsAction();

  if (!amending) {
    return (
      <Group justify="flex-end">
        <Button variant="light" onClick={() => onAmendingChange(true)}>
          {t('note.amend')}
        </Button>
      </Group>
    );
  }

  function cancel() {
    form.reset(noteFormOf(record.content));
    setReason('');
    saving.setFailure(null);
    onAmendingChange(false);
  }

  function save() {
    const parsedReason = reasonSchema.safeParse(reason);
    if (!parsedReason.success) {
      saving.setFailure(t('note.amend.reasonRequired'));
      return;
    }
    const changes = changedFields(noteFormOf(record.content), form.getValues());
    if (Object.keys(changes).length === 0) {
      saving.setFailure(t('note.amend.nothing'));
      return;
    }
    return saving.run(async () => {
      const answer = await client.call('amendConsultation', {
        params: { id: record.id },
        body: { version: record.version, reason: parsedReason.data, changes },
      });
      onAmended(answer);
      form.reset(noteFormOf(answer.content));
      setReason('');
      onAmendingChange(false);
      return undefined;
    });
  }

  return (
    <Stack gap="xs">
      <FreeTextarea
        label={t('note.amend.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <NoteActionButtons
        failure={saving.failure}
        cancelLabel={t('note.amend.cancel')}
        onCancel={cancel}
        confirmLabel={t('note.amend.save')}
        running={saving.running}
        onConfirm={() => void save()}
      />
    </Stack>
  );
}
