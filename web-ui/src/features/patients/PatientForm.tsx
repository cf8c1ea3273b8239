import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Alert,
  Button,
  Fieldset,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
  Title,
} from '@mantine/core';
import { type PatientInput, type PatientRecord, patientInputSchema } from '@telemed/shared';
import { useState } from 'react';
import { Controller, type FieldError, type Resolver, useFieldArray, useForm } from 'react-hook-form';
import { CalendarDateInput } from '../../forms/CalendarDateInput.js';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import type { MessageKey } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf } from '../../records/useRecordsQuery.js';
import { birthFromNationalId } from './nationalId.js';

/** The form's own values: text boxes hold strings, and an empty optional box means "not given". */
export interface PatientFormValues {
  name: { ar: string; latin: string };
  mrn: string;
  nationalId: string;
  sex: 'female' | 'male';
  birthDate: string;
  phone: string;
  allergies: string[];
  chronicConditions: string[];
  currentMedications: { name: string; dose: string }[];
}

const blank = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** The shared schema decides; the form only turns empty optional boxes into absent fields first. */
const patientResolver: Resolver<PatientFormValues, unknown, PatientInput> = (values, context, options) =>
  zodResolver(patientInputSchema)(
    {
      ...values,
      nationalId: blank(values.nationalId),
      phone: blank(values.phone),
      currentMedications: values.currentMedications.map((m) => ({ name: m.name, dose: blank(m.dose) })),
    } as never,
    context,
    options as never,
  ) as never;

export function patientFormValuesOf(patient?: PatientRecord): PatientFormValues {
  return {
    name: patient?.name ?? { ar: '', latin: '' },
    mrn: patient?.mrn ?? '',
    nationalId: patient?.nationalId ?? '',
    sex: patient?.sex ?? 'female',
    birthDate: patient?.birthDate ?? '',
    phone: patient?.phone ?? '',
    allergies: patient?.allergies ?? [],
    chronicConditions: patient?.chronicConditions ?? [],
    currentMedications: (patient?.currentMedications ?? []).map((m) => ({
      name: m.name,
      dose: m.dose ?? '',
    })),
  };
}

/** Which of the national ID's rules failed, from the shared schema's messages. */
function nationalIdMessage(error: FieldError | undefined): MessageKey | undefined {
  if (!error) return undefined;
  if (error.message?.includes('birth date')) return 'patientForm.nationalIdBirthDate';
  if (error.message?.includes('governorate')) return 'patientForm.nationalIdGovernorate';
  return 'patientForm.nationalIdFormat';
}

/**
 * Registers a patient or edits one: Arabic and Latin names, file number, national ID (its date of birth and
 * governorate checked by the shared schema, and the birth date and sex filled in from it), allergies, chronic
 * conditions and medications. Records' refusal (a file number already used, say) shows in the person's language.
 */
export function PatientForm({
  initial,
  heading,
  submitLabel,
  onSubmit,
}: {
  initial?: PatientRecord;
  heading: MessageKey;
  submitLabel: MessageKey;
  onSubmit(input: PatientInput): Promise<unknown>;
}) {
  const t = useT();
  const fieldError = useFieldErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<PatientFormValues, unknown, PatientInput>({
    resolver: patientResolver,
    defaultValues: patientFormValuesOf(initial),
  });
  const medications = useFieldArray({ control: form.control, name: 'currentMedications' });
  const { errors, isSubmitting } = form.formState;
  const required = { default: 'patientForm.required' } as const;

  const submit = form.handleSubmit(async (input) => {
    setFailure(null);
    try {
      await onSubmit(input);
    } catch (error) {
      setFailure(errorMessageOf(error));
    }
  });

  /** A valid national ID already says the birth date and sex: fill them in when still empty. */
  const fillFromNationalId = () => {
    const derived = birthFromNationalId(form.getValues('nationalId'));
    if (!derived) return;
    if (!form.getValues('birthDate')) form.setValue('birthDate', derived.birthDate);
    if (!initial) form.setValue('sex', derived.sex);
  };

  const nationalIdError = nationalIdMessage(errors.nationalId);
  return (
    <Paper
      component="form"
      onSubmit={submit}
      noValidate
      p="md"
      shadow="xs"
      aria-labelledby="patient-form-heading"
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id="patient-form-heading">
          {t(heading)}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('patientForm.nameAr')}
            dir="rtl"
            lang="ar"
            required
            error={fieldError(errors.name?.ar, required)}
            {...form.register('name.ar')}
          />
          <TextInput
            label={t('patientForm.nameLatin')}
            dir="ltr"
            lang="en"
            required
            error={fieldError(errors.name?.latin, required)}
            {...form.register('name.latin')}
          />
          <TextInput
            label={t('patientForm.mrn')}
            dir="ltr"
            required
            error={fieldError(errors.mrn, { default: 'patientForm.mrnFormat' })}
            {...form.register('mrn')}
          />
          <TextInput
            label={t('patientForm.nationalId')}
            description={t('patientForm.nationalIdHint')}
            dir="ltr"
            inputMode="numeric"
            maxLength={14}
            error={nationalIdError ? t(nationalIdError) : undefined}
            {...form.register('nationalId', { onBlur: fillFromNationalId })}
          />
          <Controller
            control={form.control}
            name="birthDate"
            render={({ field }) => (
              <CalendarDateInput
                label={t('patientForm.birthDate')}
                required
                name={field.name}
                value={field.value}
                onChange={(day) => field.onChange(day ?? '')}
                onBlur={field.onBlur}
                defaultDate={field.value || '1980-01-01'}
                error={fieldError(errors.birthDate, {
                  default: 'patientForm.birthDateFormat',
                  custom: 'patientForm.birthDateFuture',
                })}
              />
            )}
          />
          <TextInput
            type="tel"
            label={t('patientForm.phone')}
            dir="ltr"
            error={fieldError(errors.phone, { default: 'patientForm.phoneFormat' })}
            {...form.register('phone')}
          />
        </SimpleGrid>
        <Controller
          control={form.control}
          name="sex"
          render={({ field }) => (
            <Stack gap={4}>
              <span id="patient-sex" style={{ fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500 }}>
                {t('patientForm.sex')}
              </span>
              <SegmentedControl
                aria-labelledby="patient-sex"
                value={field.value}
                onChange={(value) => field.onChange(value)}
                data={[
                  { value: 'female', label: t('patientForm.female') },
                  { value: 'male', label: t('patientForm.male') },
                ]}
                style={{ alignSelf: 'flex-start' }}
              />
            </Stack>
          )}
        />
        <Controller
          control={form.control}
          name="allergies"
          render={({ field }) => (
            <TagsInput
              label={t('patientForm.allergies')}
              description={t('patientForm.listHint')}
              value={field.value}
              onChange={field.onChange}
              maxTags={50}
              clearable
            />
          )}
        />
        <Controller
          control={form.control}
          name="chronicConditions"
          render={({ field }) => (
            <TagsInput
              label={t('patientForm.chronicConditions')}
              description={t('patientForm.listHint')}
              value={field.value}
              onChange={field.onChange}
              maxTags={50}
              clearable
            />
          )}
        />
        <Fieldset legend={t('patientForm.medications')}>
          <Stack gap="xs">
            {medications.fields.map((item, index) => (
              <Group key={item.id} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label={t('patientForm.medicationName', { n: index + 1 })}
                  dir="auto"
                  style={{ flex: 2, minWidth: 0 }}
                  error={fieldError(errors.currentMedications?.[index]?.name, required)}
                  {...form.register(`currentMedications.${index}.name`)}
                />
                <TextInput
                  label={t('patientForm.medicationDose')}
                  dir="auto"
                  style={{ flex: 1, minWidth: 0 }}
                  {...form.register(`currentMedications.${index}.dose`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  mb={4}
                  aria-label={t('patientForm.removeMedication', { n: index + 1 })}
                  onClick={() => medications.remove(index)}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Button
              variant="light"
              size="compact-sm"
              style={{ alignSelf: 'flex-start' }}
              onClick={() => medications.append({ name: '', dose: '' })}
            >
              {t('patientForm.addMedication')}
            </Button>
          </Stack>
        </Fieldset>
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <Button type="submit" loading={isSubmitting} style={{ alignSelf: 'flex-start' }}>
          {t(submitLabel)}
        </Button>
      </Stack>
    </Paper>
  );
}
