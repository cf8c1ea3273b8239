import { zodResolver } from '@hookform/resolvers/zod';
import { MultiSelect, SegmentedControl, SimpleGrid, TextInput } from '@mantine/core';
import {
  type Organization,
  type OrganizationInput,
  organizationInputSchema,
  type Specialty,
  specialtySchema,
} from '@telemed/shared';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsMutation } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { AdminForm } from './AdminForm.js';

type OrganizationFormValues = z.input<typeof organizationInputSchema>;

/** Creates an organization, or edits `existing`: its kind, names in both languages, place and specialties. */
export function OrganizationForm({ existing, onDone }: { existing?: Organization; onDone: () => void }) {
  const t = useT();
  const format = useFormatters();
  const fieldError = useFieldErrors();
  const create = useRecordsMutation('createOrganization');
  const update = useRecordsMutation('updateOrganization');
  const mutation = existing ? update : create;
  const form = useForm<OrganizationFormValues, unknown, OrganizationInput>({
    resolver: zodResolver(organizationInputSchema),
    defaultValues: existing
      ? {
          kind: existing.kind,
          name: existing.name,
          governorate: existing.governorate,
          district: existing.district,
          address: existing.address,
          specialties: existing.specialties,
        }
      : {
          kind: 'clinic',
          name: { ar: '', en: '' },
          governorate: '',
          district: '',
          address: '',
          specialties: [],
        },
  });
  const kind = form.watch('kind');
  const submit = form.handleSubmit(async (input) => {
    const body = { ...input, specialties: input.kind === 'hospital' ? input.specialties : [] };
    if (existing) await update.mutateAsync({ params: { id: existing.id }, body });
    else await create.mutateAsync({ body });
    onDone();
  });
  const required = { default: 'admin.form.required' } as const;
  const { errors, isSubmitting } = form.formState;
  return (
    <AdminForm
      onSubmit={submit}
      refusal={mutation.error}
      submitting={isSubmitting}
      submitLabel={t(existing ? 'admin.form.save' : 'admin.org.create')}
    >
      <Controller
        control={form.control}
        name="kind"
        render={({ field }) => (
          <SegmentedControl
            aria-label={t('admin.org.kind')}
            data={[
              { value: 'clinic', label: t('admin.org.kind.clinic') },
              { value: 'hospital', label: t('admin.org.kind.hospital') },
            ]}
            disabled={Boolean(existing)}
            value={field.value}
            onChange={field.onChange}
          />
        )}
      />
      <TextInput
        label={t('admin.org.nameAr')}
        dir="rtl"
        error={fieldError(errors.name?.ar, required)}
        {...form.register('name.ar')}
      />
      <TextInput
        label={t('admin.org.nameEn')}
        dir="ltr"
        error={fieldError(errors.name?.en, required)}
        {...form.register('name.en')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t('admin.org.governorate')}
          dir="auto"
          error={fieldError(errors.governorate, required)}
          {...form.register('governorate')}
        />
        <TextInput
          label={t('admin.org.district')}
          dir="auto"
          error={fieldError(errors.district, required)}
          {...form.register('district')}
        />
      </SimpleGrid>
      <TextInput label={t('admin.org.address')} dir="auto" {...form.register('address')} />
      {kind === 'hospital' && (
        <Controller
          control={form.control}
          name="specialties"
          render={({ field }) => (
            <MultiSelect
              label={t('admin.org.specialties')}
              data={specialtySchema.options.map((s) => ({ value: s, label: format.specialtyName(s) }))}
              value={field.value ?? []}
              onChange={(value) => field.onChange(value as Specialty[])}
              searchable
            />
          )}
        />
      )}
    </AdminForm>
  );
}
