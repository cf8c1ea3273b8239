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
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsMutation } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { AdminForm } from './AdminForm.js';
import { useRequiredTextField } from './useRequiredTextField.js';

type OrganizationFormValues = z.input<typeof organizationInputSchema>;

/** Creates an organization, or edits `existing`: its kind, names in both languages, place and specialties. */
export function OrganizationForm({ existing, onDone }: { existing?: Organization; onDone: () => void }) {
  const t = useT();
  const format = useFormatters();
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
  const requiredText = useRequiredTextField(form);
  const { isSubmitting } = form.formState;
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
      <TextInput label={t('admin.org.nameAr')} {...requiredText('name.ar', 'rtl')} />
      <TextInput label={t('admin.org.nameEn')} {...requiredText('name.en', 'ltr')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('admin.org.governorate')} {...requiredText('governorate', 'auto')} />
        <TextInput label={t('admin.org.district')} {...requiredText('district', 'auto')} />
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
