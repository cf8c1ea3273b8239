import {
  Badge,
  Button,
  CloseButton,
  Group,
  Modal,
  SegmentedControl,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Organization, OrganizationKind } from '@telemed/shared';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { AdminPager } from './AdminPager.js';
import { OrganizationForm } from './OrganizationForm.js';

const pageSize = 20;
/** Typing pauses this long before records is asked, so a search is not sent per keystroke. */
const searchDelayMs = 300;
type Activity = 'all' | 'active' | 'inactive';

/**
 * Clinics and hospitals, a page at a time from records (a ministry has thousands of rural clinics): filtered by
 * kind, state and governorate and searched by name on the server; the form to add one or edit one.
 */
export function OrganizationsPage() {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const intl = useIntl();
  const [kind, setKind] = useState<OrganizationKind | 'all'>('all');
  const [activity, setActivity] = useState<Activity>('all');
  const [governorate, setGovernorate] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), searchDelayMs);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const query = useRecordsQuery('listOrganizations', {
    query: {
      ...(kind === 'all' ? {} : { kind }),
      ...(activity === 'all' ? {} : { active: activity === 'active' }),
      ...(governorate ? { governorate } : {}),
      ...(q ? { q } : {}),
      page,
      limit: pageSize,
    },
  });
  const items = query.data?.items ?? [];
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // Any change of filter starts again from the first page.
  const refiltered =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };
  return (
    <PageSection
      headingId="organizations-heading"
      title={t('admin.org.heading')}
      actions={<Button onClick={() => setEditing('new')}>{t('admin.org.new')}</Button>}
    >
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          type="search"
          label={t('orgs.search')}
          placeholder={t('orgs.searchPlaceholder')}
          value={search}
          onChange={(event) => refiltered(setSearch)(event.currentTarget.value)}
          w={{ base: '100%', sm: 280 }}
        />
        <SegmentedControl
          aria-label={t('admin.org.kind')}
          value={kind}
          onChange={(value) => refiltered(setKind)(value as OrganizationKind | 'all')}
          data={[
            { value: 'all', label: t('admin.org.kind.all') },
            { value: 'clinic', label: t('admin.org.kind.clinic') },
            { value: 'hospital', label: t('admin.org.kind.hospital') },
          ]}
        />
        <SegmentedControl
          aria-label={t('orgs.state')}
          value={activity}
          onChange={(value) => refiltered(setActivity)(value as Activity)}
          data={[
            { value: 'all', label: t('orgs.state.all') },
            { value: 'active', label: t('orgs.state.active') },
            { value: 'inactive', label: t('orgs.state.inactive') },
          ]}
        />
      </Group>
      {governorate && (
        <Badge
          mb="sm"
          size="lg"
          variant="light"
          rightSection={
            <CloseButton
              size="xs"
              aria-label={t('orgs.governorate.clear', { governorate })}
              onClick={() => refiltered(setGovernorate)(undefined)}
            />
          }
        >
          {t('orgs.governorate.only', { governorate })}
        </Badge>
      )}
      <QueryState query={query} />
      {query.isSuccess && (
        <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
          {items.length === 0 ? t('admin.org.empty') : t('orgs.count', { count: total })}
        </Text>
      )}
      {items.length > 0 && (
        <DataTable
          minWidth={720}
          headers={[
            t('admin.org.name'),
            t('admin.org.kind'),
            t('admin.org.governorate'),
            t('admin.org.specialties'),
            t('admin.actions'),
          ]}
        >
          {items.map((o) => {
            const name = locale === 'ar' ? o.name.ar : o.name.en;
            return (
              <Table.Tr key={o.id}>
                <Table.Td dir="auto">
                  {name}
                  {!o.active && (
                    <Badge ms="xs" size="sm" variant="outline" color="gray">
                      {t('orgs.state.inactiveOne')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={o.kind === 'hospital' ? 'clinical' : 'gray'}>
                    {t(`admin.org.kind.${o.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    px={4}
                    onClick={() => refiltered(setGovernorate)(o.governorate)}
                    aria-label={t('orgs.governorate.filter', { governorate: o.governorate })}
                  >
                    <bdi>{o.governorate}</bdi>
                  </Button>{' '}
                  · <bdi>{o.district}</bdi>
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
    </PageSection>
  );
}
