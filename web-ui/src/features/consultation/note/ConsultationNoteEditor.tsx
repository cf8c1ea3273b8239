import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type Consultation, specialtyLabels } from '@telemed/shared';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { CalendarDateInput } from '../../../forms/CalendarDateInput.js';
import { useFieldErrors } from '../../../forms/useFieldErrors.js';
import type { MessageKey } from '../../../i18n/catalog.js';
import { useLocale, useT } from '../../../i18n/LocaleProvider.js';
import { useRecordsAction } from '../../../records/useRecordsAction.js';
import { useRecordsQuery } from '../../../records/useRecordsQuery.js';
import { useSession } from '../../../session/SessionProvider.js';
import { useFormatters } from '../../formatting.js';
import { PageSection } from '../../PageSection.js';
import { QueryState } from '../../QueryState.js';
import { FreeTextarea } from './FreeTextarea.js';
import { freeTextStyles } from './freeTextStyles.js';
import { Icd10Picker } from './Icd10Picker.js';
import { NoteActionButtons } from './NoteActionButtons.js';
import { NoteAmendment } from './NoteAmendment.js';
import { NoteConflictResolver } from './NoteConflictResolver.js';
import { type NoteForm, noteFormOf, noteFormSchema } from './noteFields.js';
import { type AutosaveStatus, useNoteAutosave } from './useNoteAutosave.js';

const statusLook: Record<AutosaveStatus, { color: string; key: MessageKey }> = {
  saved: { color: 'teal', key: 'note.status.saved' },
  pending: { color: 'gray', key: 'note.status.pending' },
  saving: { color: 'blue', key: 'note.status.saving' },
  offline: { color: 'orange', key: 'note.status.offline' },
  invalid: { color: 'yellow', key: 'note.status.invalid' },
  conflict: { color: 'orange', key: 'note.status.conflict' },
  failed: { color: 'red', key: 'note.status.failed' },
};

/**
 * The specialist's note, during or after the call: findings, ICD-10 diagnoses, plan, recommendations,
 * referral and follow-up. It autosaves with the record's version, lets the person settle a conflicting edit
 * field by field, and signs; a signed note is read-only, changed only by an amendment with its reason.
 */
export function ConsultationNoteEditor({ consultationId }: { consultationId: string }) {
  const query = useRecordsQuery('getConsultation', { params: { id: consultationId } });
  if (!query.data) return <QueryState query={query} />;
  return <NoteEditorForm key={consultationId} initial={query.data} />;
}

function NoteEditorForm({ initial }: { initial: Consultation }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const fieldError = useFieldErrors();
  const { client } = useSession();
  const [record, setRecord] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const signing = useRecordsAction();
  const [amending, setAmending] = useState(false);
  const signed = record.status === 'signed';
  /** A signed note is read-only, but while an amendment is being written. */
  const locked = signed && !amending;
  const form = useForm<NoteForm>({
    resolver: zodResolver(noteFormSchema),
    defaultValues: noteFormOf(initial.content),
    mode: 'onChange',
  });
  const autosave = useNoteAutosave(initial, form, { enabled: !signed, onRecord: setRecord });
  const mine = useWatch({ control: form.control }) as NoteForm;
  const referral = mine.referral;
  const { errors } = form.formState;

  function sign() {
    return signing.run(async () => {
      if (!(await autosave.flush())) return t('note.sign.unsaved');
      const answer = await client.call('signConsultation', {
        params: { id: record.id },
        body: { version: autosave.version() },
      });
      setRecord(answer);
      setConfirming(false);
      return undefined;
    });
  }

  const look = statusLook[autosave.status];
  const specialtyOptions = Object.entries(specialtyLabels).map(([value, label]) => ({
    value,
    label: label[locale],
  }));
  return (
    <PageSection
      headingId="note-heading"
      title={t('note.heading')}
      actions={
        signed ? (
          <Badge color="teal" size="lg" variant="filled">
            {t('note.signedAt', { at: format.dateTime(record.signedAt ?? record.updatedAt) })}
          </Badge>
        ) : (
          <Badge color={look.color} size="lg" variant="light" role="status" aria-live="polite">
            {t(look.key)}
          </Badge>
        )
      }
    >
      <Stack gap="md">
        {autosave.failure && !signed && (
          <Alert color="red" role="alert" p="xs">
            {autosave.failure}
          </Alert>
        )}
        {autosave.conflict && (
          <NoteConflictResolver
            conflict={autosave.conflict}
            mine={mine}
            onResolve={autosave.resolveConflict}
          />
        )}
        <FreeTextarea
          label={t('note.findings')}
          minRows={3}
          readOnly={locked}
          error={fieldError(errors.findings, { default: 'note.tooLong' })}
          {...form.register('findings')}
        />
        <Stack gap={4} role="group" aria-label={t('note.diagnoses')}>
          <Controller
            control={form.control}
            name="diagnoses"
            render={({ field, fieldState }) => (
              <Icd10Picker
                value={field.value}
                onChange={field.onChange}
                readOnly={locked}
                error={fieldError(fieldState.error, { default: 'note.diagnoses.invalid' })}
              />
            )}
          />
        </Stack>
        <FreeTextarea
          label={t('note.plan')}
          readOnly={locked}
          error={fieldError(errors.plan, { default: 'note.tooLong' })}
          {...form.register('plan')}
        />
        <FreeTextarea
          label={t('note.recommendations')}
          readOnly={locked}
          error={fieldError(errors.recommendations, { default: 'note.tooLong' })}
          {...form.register('recommendations')}
        />
        <Controller
          control={form.control}
          name="referral"
          render={({ field }) => (
            <Stack gap="xs">
              <Checkbox
                label={t('note.referral.needed')}
                checked={field.value !== null}
                disabled={locked}
                onChange={(e) =>
                  field.onChange(e.currentTarget.checked ? { reason: '', urgency: 'routine' } : null)
                }
              />
              {referral && (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                  <Select
                    label={t('note.referral.specialty')}
                    data={specialtyOptions}
                    clearable
                    readOnly={locked}
                    value={referral.specialty ?? null}
                    onChange={(v) => field.onChange({ ...referral, specialty: v ?? undefined })}
                  />
                  <TextInput
                    styles={freeTextStyles}
                    label={t('note.referral.facility')}
                    readOnly={locked}
                    value={referral.facility ?? ''}
                    onChange={(e) => field.onChange({ ...referral, facility: e.currentTarget.value })}
                  />
                  <FreeTextarea
                    label={t('note.referral.reason')}
                    readOnly={locked}
                    value={referral.reason}
                    error={fieldError(errors.referral?.reason, { default: 'note.referral.reasonRequired' })}
                    onChange={(e) => field.onChange({ ...referral, reason: e.currentTarget.value })}
                  />
                  <Select
                    label={t('note.referral.urgency')}
                    readOnly={locked}
                    allowDeselect={false}
                    value={referral.urgency ?? 'routine'}
                    data={(['routine', 'urgent', 'emergency'] as const).map((u) => ({
                      value: u,
                      label: t(`note.referral.urgency.${u}`),
                    }))}
                    onChange={(v) => field.onChange({ ...referral, urgency: (v ?? 'routine') as 'routine' })}
                  />
                </SimpleGrid>
              )}
            </Stack>
          )}
        />
        <Controller
          control={form.control}
          name="followUpDate"
          render={({ field, fieldState }) => (
            <CalendarDateInput
              label={t('note.followUp')}
              readOnly={locked}
              clearable={!locked}
              maw={260}
              name={field.name}
              value={field.value}
              onBlur={field.onBlur}
              error={fieldError(fieldState.error, { default: 'note.followUp.invalid' })}
              onChange={field.onChange}
            />
          )}
        />
        {!signed && (
          <Group justify="flex-end">
            <Button color="teal" onClick={() => setConfirming(true)} disabled={autosave.conflict !== null}>
              {t('note.sign')}
            </Button>
          </Group>
        )}
        {signed && (
          <NoteAmendment
            record={record}
            form={form}
            amending={amending}
            onAmendingChange={setAmending}
            onAmended={setRecord}
          />
        )}
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('note.sign.confirmTitle')}
        centered
      >
        <Stack gap="sm">
          <Text>{t('note.sign.confirm')}</Text>
          <NoteActionButtons
            failure={signing.failure}
            cancelLabel={t('note.sign.cancel')}
            onCancel={() => setConfirming(false)}
            confirmLabel={t('note.sign.confirmButton')}
            confirmColor="teal"
            running={signing.running}
            onConfirm={() => void sign()}
          />
        </Stack>
      </Modal>
    </PageSection>
  );
}
