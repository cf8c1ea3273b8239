import { Anchor, Badge, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { patientPaths } from '../history/PatientHistory.js';
import { PageSection } from '../PageSection.js';
import { PreviousNextPager } from '../PreviousNextPager.js';
import { QueryState } from '../QueryState.js';

const minimumSearchLength = 2;
const pageSize = 20;

/**
 * Search the clinic's patients by any word of the name, the file number or the national ID. The search is in
 * the URL (`?q=`), so it survives a reload and the back button returns to it.
 */
export function PatientSearch() {
  const t = useT();
  const format = useFormatters();
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q')?.trim() ?? '';
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  const [text, setText] = useState(q);
  const [tooShort, setTooShort] = useState(false);
  const query = useRecordsQuery(
    'searchPatients',
    { query: page > 1 ? { q, page, limit: pageSize } : { q, limit: pageSize } },
    { enabled: q.length >= minimumSearchLength },
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = text.trim();
    setTooShort(wanted.length < minimumSearchLength);
    if (wanted.length >= minimumSearchLength) {
      setSearchParams(
        (params) => {
          params.set('q', wanted);
          params.delete('page');
          return params;
        },
        { replace: q !== '' },
      );
    }
  }

  const items = q.length >= minimumSearchLength ? query.data?.items : undefined;
  const goTo = (wanted: number) =>
    setSearchParams((params) => {
      params.set('page', String(wanted));
      return params;
    });
  return (
    <PageSection
      headingId="patients-heading"
      title={t('patients.heading')}
      actions={
        <Group gap="xs">
          {items && items.length > 0 && (
            <Badge variant="light" size="lg">
              {t('patients.found', { count: query.data?.total ?? items.length })}
            </Badge>
          )}
          <Button component={Link} to={patientPaths.register} variant="light" size="compact-md">
            {t('patientForm.registerLink')}
          </Button>
        </Group>
      }
    >
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" gap="xs" wrap="nowrap" mb="sm">
          <TextInput
            type="search"
            dir="auto"
            aria-label={t('patients.placeholder')}
            placeholder={t('patients.placeholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={tooShort ? t('patients.tooShort') : undefined}
            style={{ flex: 1, minWidth: 0 }}
          />
          <Button type="submit">{t('patients.search')}</Button>
        </Group>
      </form>
      {q.length >= minimumSearchLength && <QueryState query={query} />}
      {items && items.length === 0 && <Text c="dimmed">{t('patients.none')}</Text>}
      {items && items.length > 0 && (
        <DataTable
          minWidth={420}
          headers={[t('appointments.patient'), t('patients.mrn'), t('patients.birthDate')]}
        >
          {items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Anchor component={Link} to={patientPaths.record(p.id)}>
                  {format.personName(p.name)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <bdi className="identifier">{p.mrn}</bdi>
              </Table.Td>
              <Table.Td>{format.calendarDate(p.birthDate)}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      {query.data && items && <PreviousNextPager page={page} hasMore={query.data.hasMore} onChange={goTo} />}
    </PageSection>
  );
}
