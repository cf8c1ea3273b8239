import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { type Availability, type AvailabilityInput, availabilityInputSchema } from '@telemed/shared';
import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useIntl } from 'react-intl';
import type { z } from 'zod';
import { CalendarDateInput } from '../../forms/CalendarDateInput.js';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation } from '../../records/useRecordsQuery.js';
import { EditableRows } from './EditableRows.js';
import { addDays } from './weekGrid.js';

type AvailabilityFormValues = z.input<typeof availabilityInputSchema>;

/** The weekly hours (in the hospital's time) and the days of leave of one specialist, saved together. */
export function AvailabilityEditor({
  specialistId,
  availability,
}: {
  specialistId: string;
  availability: Availability;
}) {
  const t = useT();
  const intl = useIntl();
  const fieldError = useFieldErrors();
  const save = useRecordsMutation('setAvailability');
  const [saved, setSaved] = useState(false);
  const form = useForm<AvailabilityFormValues, unknown, AvailabilityInput>({
    resolver: zodResolver(availabilityInputSchema),
    defaultValues: {
      timeZone: availability.timeZone,
      weekly: availability.weekly,
      exceptions: availability.exceptions,
    },
  });
  const weekly = useFieldArray({ control: form.control, name: 'weekly' });
  const exceptions = useFieldArray({ control: form.control, name: 'exceptions' });
  const weekdays = Array.from({ length: 7 }, (_, day) => ({
    value: String(day),
    // 2026-11-29 was a Sunday: weekday 0.
    label: intl.formatDate(`${addDays('2026-11-29', day)}T12:00:00Z`, { weekday: 'long', timeZone: 'UTC' }),
  }));
  const submit = form.handleSubmit(async (input) => {
    setSaved(false);
    await save.mutateAsync({ params: { id: specialistId }, body: input });
    form.reset(input);
    setSaved(true);
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="weekly-heading">
      <Stack gap="md">
        <EditableRows
          title={t('admin.availability.weekly')}
          titleId="weekly-heading"
          emptyText={t('admin.availability.noHours')}
          rowKeys={weekly.fields.map((slot) => slot.id)}
          renderFields={(index) => (
            <>
              <Controller
                control={form.control}
                name={`weekly.${index}.weekday`}
                render={({ field }) => (
                  <Select
                    w={150}
                    label={t('admin.availability.weekday')}
                    data={weekdays}
                    value={String(field.value)}
                    onChange={(value) => field.onChange(Number(value))}
                    allowDeselect={false}
                  />
                )}
              />
              <TextInput
                w={150}
                type="time"
                label={t('admin.availability.start')}
                error={fieldError(errors.weekly?.[index]?.start, {
                  default: 'admin.availability.timeInvalid',
                })}
                {...form.register(`weekly.${index}.start`)}
              />
              <TextInput
                w={150}
                type="time"
                label={t('admin.availability.end')}
                error={fieldError(errors.weekly?.[index]?.end, {
                  default: 'admin.availability.endAfterStart',
                })}
                {...form.register(`weekly.${index}.end`)}
              />
            </>
          )}
          removeLabel={(index) => t('admin.availability.removeHours', { index: index + 1 })}
          onRemove={weekly.remove}
          addLabel={t('admin.availability.addHours')}
          onAdd={() => weekly.append({ weekday: 0, start: '09:00', end: '13:00' })}
        />
        <EditableRows
          title={t('admin.availability.leave')}
          emptyText={t('admin.availability.noLeave')}
          rowKeys={exceptions.fields.map((leave) => leave.id)}
          renderFields={(index) => (
            <>
              <Controller
                control={form.control}
                name={`exceptions.${index}.from`}
                render={({ field, fieldState }) => (
                  <CalendarDateInput
                    w={170}
                    label={t('admin.availability.from')}
                    name={field.name}
                    value={field.value}
                    onChange={(day) => field.onChange(day ?? '')}
                    onBlur={field.onBlur}
                    error={fieldError(fieldState.error, { default: 'admin.availability.dateInvalid' })}
                  />
                )}
              />
              <Controller
                control={form.control}
                name={`exceptions.${index}.to`}
                render={({ field, fieldState }) => (
                  <CalendarDateInput
                    w={170}
                    label={t('admin.availability.to')}
                    name={field.name}
                    value={field.value}
                    onChange={(day) => field.onChange(day ?? '')}
                    onBlur={field.onBlur}
                    error={fieldError(fieldState.error, {
                      default: 'admin.availability.dateInvalid',
                      custom: 'admin.availability.toBeforeFrom',
                    })}
                  />
                )}
              />
              <TextInput
                w={220}
                dir="auto"
                label={t('admin.availability.reason')}
                {...form.register(`exceptions.${index}.reason`)}
              />
            </>
          )}
          removeLabel={(index) => t('admin.availability.removeLeave', { index: index + 1 })}
          onRemove={exceptions.remove}
          addLabel={t('admin.availability.addLeave')}
          onAdd={() => exceptions.append({ from: '', to: '', reason: '' })}
        />
        <Text size="xs" c="dimmed">
          {t('appointments.timeZone')}
        </Text>
        {save.isError && (
          <Alert color="red" role="alert" p="xs">
            {errorMessageOf(save.error)}
          </Alert>
        )}
        {saved && !form.formState.isDirty && (
          <Alert color="teal" role="status" p="xs">
            {t('admin.availability.saved')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={isSubmitting}>
            {t('admin.availability.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
