import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Checkbox, FileButton, Group, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import type { SystemClient } from '@telemed/shared';
import { Controller, type FieldError, useForm } from 'react-hook-form';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsMutation } from '../../records/useRecordsQuery.js';
import { AdminForm } from '../admin/AdminForm.js';
import {
  allTypesScope,
  notJsonMessage,
  perTypeScopes,
  type SystemClientFormOutput,
  type SystemClientFormValues,
  systemClientFormSchema,
} from './systemClientForm.js';

/** Registers a system client: its name, its public key (pasted or from a file) and the scopes it may ask for. */
export function SystemClientForm({ onRegistered }: { onRegistered: (client: SystemClient) => void }) {
  const t = useT();
  const fieldError = useFieldErrors();
  const create = useRecordsMutation('createSystemClient');
  const form = useForm<SystemClientFormValues, unknown, SystemClientFormOutput>({
    resolver: zodResolver(systemClientFormSchema),
    defaultValues: { name: '', publicKeyText: '', scopes: [allTypesScope] },
  });
  const submit = form.handleSubmit(async ({ name, publicKeyText, scopes }) => {
    onRegistered(await create.mutateAsync({ body: { name, publicKey: publicKeyText, scopes } }));
  });
  const { errors, isSubmitting } = form.formState;
  const keyError = (error: FieldError | undefined) =>
    error?.message === notJsonMessage
      ? t('fhir.client.keyNotJson')
      : fieldError(error, {
          too_small: 'fhir.client.keyRequired',
          unrecognized_keys: 'fhir.client.keyPrivate',
          default: 'fhir.client.keyInvalid',
        });
  async function readKeyFile(file: File | null) {
    if (!file) return;
    form.setValue('publicKeyText', await file.text(), { shouldValidate: true });
  }
  return (
    <AdminForm
      onSubmit={submit}
      refusal={create.error}
      submitting={isSubmitting}
      submitLabel={t('fhir.client.register')}
    >
      <TextInput
        label={t('fhir.client.name')}
        description={t('fhir.client.nameHint')}
        withAsterisk
        {...form.register('name')}
        error={fieldError(errors.name, { default: 'fhir.client.nameRequired' })}
      />
      <Textarea
        label={t('fhir.client.publicKey')}
        description={t('fhir.client.publicKeyHint')}
        withAsterisk
        autosize
        minRows={4}
        maxRows={10}
        styles={{ input: { fontFamily: 'monospace', direction: 'ltr' } }}
        spellCheck={false}
        {...form.register('publicKeyText')}
        error={keyError(errors.publicKeyText)}
      />
      <Group gap="xs">
        <FileButton onChange={(file) => void readKeyFile(file)} accept="application/json,.json,.jwk,.jwks">
          {(props) => (
            <Button variant="default" size="compact-sm" {...props}>
              {t('fhir.client.keyFile')}
            </Button>
          )}
        </FileButton>
      </Group>
      <Controller
        control={form.control}
        name="scopes"
        render={({ field }) => (
          <Checkbox.Group
            label={t('fhir.client.scopes')}
            description={t('fhir.client.scopesHint')}
            withAsterisk
            value={field.value}
            onChange={field.onChange}
            error={fieldError(errors.scopes as FieldError | undefined, {
              default: 'fhir.client.scopesRequired',
            })}
          >
            <Checkbox mt="xs" value={allTypesScope} label={<ScopeLabel scope={allTypesScope} />} />
            <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="xs" mt="xs">
              {perTypeScopes.map((scope) => (
                <Checkbox
                  key={scope}
                  value={scope}
                  disabled={field.value.includes(allTypesScope)}
                  label={<ScopeLabel scope={scope} />}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        )}
      />
    </AdminForm>
  );
}

/**
 * A scope by what it opens: every type (with the scope as the client writes it), or one type's name, which
 * is short enough for three columns in the dialog (its scope is `system/<Type>.read`).
 */
function ScopeLabel({ scope }: { scope: string }) {
  const t = useT();
  return scope === allTypesScope ? (
    <Text span size="sm">
      {t('fhir.client.allTypes')} (<bdi className="identifier">{scope}</bdi>)
    </Text>
  ) : (
    <bdi className="identifier">{scope.slice('system/'.length, -'.read'.length)}</bdi>
  );
}
