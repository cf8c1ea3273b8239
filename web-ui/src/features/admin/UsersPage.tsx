import { Alert, Badge, Button, Group, Modal, Select, Table, Text } from '@mantine/core';
import { type Role, roleLabels, roles, type User } from '@telemed/shared';
import { useState } from 'react';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { AdminPager } from './AdminPager.js';
import { PasswordResetForm } from './PasswordResetForm.js';
import { UserCreateForm } from './UserCreateForm.js';

const pageSize = 20;

/** Accounts, a page at a time: create one, (de)activate one, or reset a forgotten password. */
export function UsersPage() {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const [role, setRole] = useState<Role | null>(null);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const query = useRecordsQuery('listUsers', { query: { ...(role ? { role } : {}), page, limit: pageSize } });
  const update = useRecordsMutation('updateUser');
  const items = query.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((query.data?.total ?? 0) / pageSize));
  return (
    <PageSection
      headingId="users-heading"
      title={t('admin.user.heading')}
      actions={<Button onClick={() => setCreating(true)}>{t('admin.user.new')}</Button>}
    >
      <Select
        mb="sm"
        maw={280}
        label={t('admin.user.filterRole')}
        placeholder={t('admin.user.allRoles')}
        data={roles.map((r) => ({ value: r, label: roleLabels[r][locale] }))}
        value={role}
        onChange={(value) => {
          setRole(value as Role | null);
          setPage(1);
        }}
        clearable
      />
      <QueryState query={query} />
      {update.isError && (
        <Alert color="red" role="alert" p="xs" mb="sm">
          {errorMessageOf(update.error)}
        </Alert>
      )}
      {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('admin.user.empty')}</Text>}
      {items.length > 0 && (
        <DataTable
          minWidth={720}
          headers={[
            t('admin.user.name'),
            t('admin.user.username'),
            t('admin.user.role'),
            t('admin.user.state'),
            t('admin.actions'),
          ]}
        >
          {items.map((u) => {
            const name = format.personName(u.name);
            return (
              <Table.Tr key={u.id}>
                <Table.Td>
                  {name}
                  {u.specialty && (
                    <Text span c="dimmed" size="sm">{` · ${format.specialtyName(u.specialty)}`}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <bdi className="identifier">{u.username}</bdi>
                </Table.Td>
                <Table.Td>{roleLabels[u.role][locale]}</Table.Td>
                <Table.Td>
                  <Badge color={u.active ? 'teal' : 'gray'} variant="light">
                    {t(u.active ? 'admin.user.active' : 'admin.user.inactive')}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="light"
                      color={u.active ? 'red' : 'teal'}
                      loading={update.isPending && update.variables?.params.id === u.id}
                      onClick={() => update.mutate({ params: { id: u.id }, body: { active: !u.active } })}
                      aria-label={t(u.active ? 'admin.user.deactivateNamed' : 'admin.user.activateNamed', {
                        name,
                      })}
                    >
                      {t(u.active ? 'admin.user.deactivate' : 'admin.user.activate')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setResetting(u)}
                      aria-label={t('admin.user.resetPasswordNamed', { name })}
                    >
                      {t('admin.user.resetPassword')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </DataTable>
      )}
      <AdminPager pages={pages} page={page} onChange={setPage} />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('admin.user.new')} size="lg">
        {creating && <UserCreateForm onDone={() => setCreating(false)} />}
      </Modal>
      <Modal
        opened={resetting !== null}
        onClose={() => setResetting(null)}
        title={t('admin.user.resetPassword')}
      >
        {resetting && <PasswordResetForm user={resetting} onDone={() => setResetting(null)} />}
      </Modal>
    </PageSection>
  );
}
