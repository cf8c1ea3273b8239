import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type RoomRole, type VitalSign, type VitalSignInput, vitalSignInputSchema } from '@telemed/shared';
import { useState } from 'react';
import { type FieldError, type Resolver, useForm } from 'react-hook-form';
import { useIntl } from 'react-intl';
import { useCall } from '../../../call/CallProvider.js';
import { useFieldErrors } from '../../../forms/useFieldErrors.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { addLiveItem } from './liveConsultation.js';
import {
  boundsOf,
  parseTypedNumber,
  toVitalSignInput,
  unitLabels,
  unitOf,
  type VitalField,
  type VitalFormValues,
  type VitalKind,
  vitalKinds,
} from './vitalSignForm.js';

/** Empty number fields: the schema says "enter a number" until one is typed. */
const emptyNumbers = { value: '', systolic: '', diastolic: '' } as unknown as Omit<VitalFormValues, 'kind'>;

const schemaResolver = zodResolver(vitalSignInputSchema);

/**
 * The shared schema checks what records will store: the form's numbers are put in the record of the chosen kind
 * (with its unit, and the time of the reading) before the schema sees them.
 */
const vitalResolver: Resolver<VitalFormValues> = (values, context, options) =>
  schemaResolver(
    toVitalSignInput(values, new Date()) as never,
    context,
    options as never,
  ) as unknown as ReturnType<Resolver<VitalFormValues>>;

/** The consultation's vital signs, newest first; the clinic doctor records new ones, which both sides see at once. */
export function VitalSignsPanel({
  consultationId,
  role,
  vitalSigns,
}: {
  consultationId: string;
  role: RoomRole;
  vitalSigns: VitalSign[];
}) {
  const t = useT();
  const newestFirst = [...vitalSigns].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return (
    <Stack gap="sm">
      {role === 'clinic_doctor' ? (
        <VitalSignForm consultationId={consultationId} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('panels.vitals.clinicEnters')}
        </Text>
      )}
      {newestFirst.length === 0 ? (
        <Text c="dimmed">{t('panels.vitals.none')}</Text>
      ) : (
        <Table striped withTableBorder aria-label={t('panels.vitals.heading')}>
          <Table.Tbody>
            {newestFirst.map((vital) => (
              <VitalRow key={vital.id} vital={vital} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function VitalRow({ vital }: { vital: VitalSign }) {
  const t = useT();
  const intl = useIntl();
  const number = (n: number) => intl.formatNumber(n, { maximumFractionDigits: 2 });
  const reading =
    vital.kind === 'blood-pressure'
      ? `${number(vital.systolic)}/${number(vital.diastolic)}`
      : number(vital.value);
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        {t(`panels.vitals.kind.${vital.kind}`)}
      </Table.Th>
      <Table.Td>
        <Text span fw={700}>
          {reading}
        </Text>{' '}
        <Text span size="sm" c="dimmed">
          {t(unitLabels[vital.unit])}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          <time dateTime={vital.takenAt}>
            {intl.formatTime(vital.takenAt, { hour: '2-digit', minute: '2-digit' })}
          </time>
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function VitalSignForm({ consultationId }: { consultationId: string }) {
  const t = useT();
  const intl = useIntl();
  const call = useCall();
  const queryClient = useQueryClient();
  const fieldError = useFieldErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const [recorded, setRecorded] = useState(false);
  const form = useForm<VitalFormValues>({
    resolver: vitalResolver,
    defaultValues: { kind: 'blood-pressure', ...emptyNumbers },
  });
  const kind = form.watch('kind');
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    setRecorded(false);
    try {
      // The resolver handed over the record as the shared schema parsed it.
      const vitalSign = await call.recordVitalSign(values as unknown as VitalSignInput);
      addLiveItem(queryClient, consultationId, { list: 'vitalSigns', item: vitalSign });
      form.reset({ kind: values.kind as unknown as VitalKind, ...emptyNumbers });
      setRecorded(true);
    } catch (error) {
      // Signaling's or records' refusal, already in the person's language.
      setFailure(error instanceof Error ? error.message : String(error));
    }
  });

  const messageFor = (field: VitalField, error: FieldError | undefined) => {
    const { min, max } = boundsOf(kind, field);
    const range = [
      'panels.vitals.range',
      {
        min: intl.formatNumber(min),
        max: intl.formatNumber(max),
        unit: t(unitLabels[unitOf[kind]]),
      },
    ] as const;
    return fieldError(error, {
      invalid_type: 'panels.vitals.number',
      too_small: range,
      too_big: range,
      default: field === 'value' ? 'panels.vitals.number' : 'panels.vitals.whole',
    });
  };
  const numberField = (field: VitalField) => ({
    ...form.register(field, { setValueAs: parseTypedNumber }),
    inputMode: 'decimal' as const,
    autoComplete: 'off',
    dir: 'ltr' as const,
    error: messageFor(field, errors[field]),
  });

  return (
    <Paper component="form" onSubmit={submit} noValidate withBorder p="sm">
      <Stack gap="xs">
        <NativeSelect
          label={t('panels.vitals.kind')}
          data={vitalKinds.map((k) => ({ value: k, label: t(`panels.vitals.kind.${k}`) }))}
          {...form.register('kind', {
            onChange: () => {
              form.clearErrors();
              setRecorded(false);
            },
          })}
        />
        {kind === 'blood-pressure' ? (
          <Group grow align="flex-start" gap="xs">
            <TextInput label={t('panels.vitals.systolic')} {...numberField('systolic')} />
            <TextInput label={t('panels.vitals.diastolic')} {...numberField('diastolic')} />
          </Group>
        ) : (
          <TextInput
            key={kind}
            label={t('panels.vitals.value', { unit: t(unitLabels[unitOf[kind]]) })}
            {...numberField('value')}
          />
        )}
        {failure && (
          <Alert color="red" role="alert" p="xs">
            {failure}
          </Alert>
        )}
        {recorded && (
          <Text size="sm" c="teal.8" role="status">
            {t('panels.vitals.recorded')}
          </Text>
        )}
        <Button type="submit" loading={isSubmitting}>
          {t('panels.vitals.record')}
        </Button>
      </Stack>
    </Paper>
  );
}
