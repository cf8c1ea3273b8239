import { zodResolver } from '@hookform/resolvers/zod';
import { PasswordInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import {
  type Role,
  roleLabels,
  roles,
  specialtySchema,
  type UserCreate,
  userCreateSchema,
} from '@telemed/shared';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsMutation } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { AdminForm } from './AdminForm.js';
import { OrganizationSelect } from './OrganizationSelect.js';
import { useRequiredTextField } from './useRequiredTextField.js';

type UserFormValues = z.input<typeof userCreateSchema>;

/** Which kind of organization each role belongs to: clinic doctors to a clinic, specialists to a hospital. */
const organizationKindOf: Partial<Record<Role, 'clinic' | 'hospital'>> = {
  clinic_doctor: 'clinic',
  specialist: 'hospital',
};

/** A new account with its role, organization and a first password the person must change at first sign-in. */
export function UserCreateForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const fieldError = useFieldErrors();
  const create = useRecordsMutation('createUser');
  const form = useForm<UserFormValues, unknown, UserCreate>({
    resolver: zodResolver(userCreateSchema),
    defaultValues: {
      username: '',
      password: '',
      name: { ar: '', latin: '' },
      role: 'clinic_doctor',
      organizationId: '',
    },
  });
  const role = form.watch('role');
  const kind = organizationKindOf[role];
  const submit = form.handleSubmit(async (input) => {
    await create.mutateAsync({ body: input });
    onDone();
  });
  const requiredText = useRequiredTextField(form);
  const { errors, isSubmitting } = form.formState;
  return (
    <AdminForm
      onSubmit={submit}
      refusal={create.error}
      submitting={isSubmitting}
      submitLabel={t('admin.user.create')}
    >
      <Controller
        control={form.control}
        name="role"
        render={({ field }) => (
          <Select
            label={t('admin.user.role')}
            data={roles.map((r) => ({ value: r, label: roleLabels[r][locale] }))}
            value={field.value}
            onChange={(value) => {
              field.onChange(value as Role);
              form.setValue('organizationId', '');
              form.setValue('specialty', value === 'specialist' ? form.getValues('specialty') : undefined);
            }}
            allowDeselect={false}
          />
        )}
      />
      <Controller
        control={form.control}
        name="organizationId"
        render={({ field }) => (
          <OrganizationSelect
            // A new role asks for another kind of organization: a fresh picker, with a fresh search.
            key={kind ?? 'any'}
            label={t('admin.user.organization')}
            kind={kind}
            value={field.value || undefined}
            onChange={(id) => field.onChange(id ?? '')}
            error={fieldError(errors.organizationId, { default: 'admin.user.organizationRequired' })}
          />
        )}
      />
      {role === 'specialist' && (
        <Controller
          control={form.control}
          name="specialty"
          render={({ field }) => (
            <Select
              label={t('admin.user.specialty')}
              data={specialtySchema.options.map((s) => ({ value: s, label: format.specialtyName(s) }))}
              value={field.value ?? null}
              onChange={(value) => field.onChange(value ?? undefined)}
              searchable
              error={fieldError(errors.specialty, { default: 'admin.user.specialtyRequired' })}
            />
          )}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('admin.user.nameAr')} {...requiredText('name.ar', 'rtl')} />
        <TextInput label={t('admin.user.nameLatin')} {...requiredText('name.latin', 'ltr')} />
      </SimpleGrid>
      <TextInput
        label={t('admin.user.username')}
        dir="ltr"
        autoComplete="off"
        error={fieldError(errors.username, { default: ['login.usernameInvalid', { min: 3, max: 64 }] })}
        {...form.register('username')}
      />
      <PasswordInput
        label={t('admin.user.firstPassword')}
        description={t('admin.user.firstPasswordHint')}
        autoComplete="new-password"
        error={fieldError(errors.password, { default: ['password.tooShort', { minimum: 10 }] })}
        {...form.register('password')}
      />
    </AdminForm>
  );
}
