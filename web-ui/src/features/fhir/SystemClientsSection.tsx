import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { SystemClient } from '@telemed/shared';
import { useState } from 'react';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { SystemClientForm } from './SystemClientForm.js';

/**
 * The system clients a hospital's systems use for Bulk Data export (SMART Backend Services): each one's name,
 * scopes and state; register one (then its id is shown, to configure the hospital's side), or deactivate one.
 */
export function SystemClientsSection() {
  const t = useT();
  const format = useFormatters();
  const query = useRecordsQuery('listSystemClients', {});
  const deactivate = useRecordsMutation('deactivateSystemClient');
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<SystemClient | null>(null);
  const [confirming, setConfirming] = useState<SystemClient | null>(null);
  const items = query.data?.items ?? [];
  const users = useRecordsQuery('listUsers', { query: { role: 'administrator', limit: 100 } });
  const creatorName = (id: string) => {
    const user = users.data?.items.find((u) => u.id === id);
    return user ? format.personName(user.name) : id;
  };
  const closeRegister = () => {
    setRegistering(false);
    setRegistered(null);
  };
  return (
    <PageSection
      headingId="fhir-clients-heading"
      title={t('fhir.client.heading')}
      actions={<Button onClick={() => setRegistering(true)}>{t('fhir.client.new')}</Button>}
    >
      <Text size="sm" c="dimmed" mb="sm">
        {t('fhir.client.intro')}
      </Text>
      <QueryState query={query} />
      {deactivate.isError && (
        <Alert color="red" role="alert" p="xs" mb="sm">
          {errorMessageOf(deactivate.error)}
        </Alert>
      )}
      {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('fhir.client.empty')}</Text>}
      {items.length > 0 && (
        <DataTable
          minWidth={760}
          headers={[
            t('fhir.client.name'),
            t('fhir.client.id'),
            t('fhir.client.scopes'),
            t('fhir.client.state'),
            t('fhir.client.created'),
            t('fhir.actions'),
          ]}
        >
          {items.map((client) => (
            <Table.Tr key={client.id}>
              <Table.Td>{client.name}</Table.Td>
              <Table.Td>
                <bdi className="identifier">{client.id}</bdi>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {client.scopes.map((scope) => (
                    <bdi key={scope} className="identifier">
                      {scope}
                    </bdi>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Badge color={client.active ? 'teal' : 'gray'} variant="light">
                  {t(client.active ? 'fhir.client.active' : 'fhir.client.inactive')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{format.dateTime(client.createdAt)}</Text>
                <Text size="sm" c="dimmed">
                  {t('fhir.client.by', { name: creatorName(client.createdBy) })}
                </Text>
              </Table.Td>
              <Table.Td>
                {client.active && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="red"
                    onClick={() => setConfirming(client)}
                    aria-label={t('fhir.client.deactivateNamed', { name: client.name })}
                  >
                    {t('fhir.client.deactivate')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      <Modal opened={registering} onClose={closeRegister} title={t('fhir.client.new')} size="lg">
        {registering && registered === null && <SystemClientForm onRegistered={setRegistered} />}
        {registered && (
          <Stack gap="sm">
            <Alert color="teal" role="status">
              {t('fhir.client.registered', { name: registered.name })}
            </Alert>
            <Text size="sm">{t('fhir.client.idHint')}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code style={{ direction: 'ltr', overflowWrap: 'anywhere' }} aria-label={t('fhir.client.id')}>
                {registered.id}
              </Code>
              <CopyButton value={registered.id}>
                {({ copied, copy }) => (
                  <Button size="compact-sm" variant="light" onClick={copy}>
                    {t(copied ? 'fhir.client.copied' : 'fhir.client.copyId')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Group justify="flex-end">
              <Button onClick={closeRegister}>{t('fhir.close')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t('fhir.client.deactivateTitle')}
      >
        {confirming && (
          <Stack gap="sm">
            <Text>{t('fhir.client.deactivateConfirm', { name: confirming.name })}</Text>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('fhir.cancel')}
              </Button>
              <Button
                color="red"
                loading={deactivate.isPending}
                onClick={() =>
                  deactivate.mutate(
                    { params: { id: confirming.id } },
                    { onSettled: () => setConfirming(null) },
                  )
                }
              >
                {t('fhir.client.deactivate')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </PageSection>
  );
}
