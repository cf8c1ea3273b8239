import { Badge, Button, Modal, SegmentedControl, Table, Text } from '@mantine/core';
import type { Organization, OrganizationKind } from '@telemed/shared';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { AdminPager } from './AdminPager.js';
import { AdminSection } from './AdminSection.js';
import { OrganizationForm } from './OrganizationForm.js';

const pageSize = 20;

/** Clinics and hospitals: the list (a page at a time), and the form to add one or edit one. */
export function OrganizationsPage() {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const intl = useIntl();
  const [kind, setKind] = useState<OrganizationKind | 'all'>('all');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const query = useRecordsQuery('listOrganizations', { query: kind === 'all' ? {} : { kind } });
  const items = query.data?.items ?? [];
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const shown = items.slice((page - 1) * pageSize, page * pageSize);
  return (
    <AdminSection
      headingId="organizations-heading"
      title={t('admin.org.heading')}
      actions={<Button onClick={() => setEditing('new')}>{t('admin.org.new')}</Button>}
    >
      <SegmentedControl
        mb="sm"
        aria-label={t('admin.org.kind')}
        value={kind}
        onChange={(value) => {
          setKind(value as OrganizationKind | 'all');
          setPage(1);
        }}
        data={[
          { value: 'all', label: t('admin.org.kind.all') },
          { value: 'clinic', label: t('admin.org.kind.clinic') },
          { value: 'hospital', label: t('admin.org.kind.hospital') },
        ]}
      />
      <QueryState query={query} />
      {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('admin.org.empty')}</Text>}
      {shown.length > 0 && (
        <DataTable
          minWidth={640}
          headers={[
            t('admin.org.name'),
            t('admin.org.kind'),
            t('admin.org.governorate'),
            t('admin.org.specialties'),
            t('admin.actions'),
          ]}
        >
          {shown.map((o) => {
            const name = locale === 'ar' ? o.name.ar : o.name.en;
            return (
              <Table.Tr key={o.id}>
                <Table.Td dir="auto">{name}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={o.kind === 'hospital' ? 'clinical' : 'gray'}>
                    {t(`admin.org.kind.${o.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <bdi>{o.governorate}</bdi> · <bdi>{o.district}</bdi>
                </Table.Td>
                <Table.Td>
                  {o.specialties.length > 0
                    ? intl.formatList(o.specialties.map((s) => format.specialtyName(s)))
                    : '—'}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => setEditing(o)}
                    aria-label={t('admin.org.editNamed', { name })}
                  >
                    {t('admin.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </DataTable>
      )}
      <AdminPager pages={pages} page={page} onChange={setPage} />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t(editing === 'new' ? 'admin.org.new' : 'admin.org.edit')}
        size="lg"
      >
        {editing !== null && (
          <OrganizationForm
            existing={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </AdminSection>
  );
}
