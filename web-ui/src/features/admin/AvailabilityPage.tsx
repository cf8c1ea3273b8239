import { Paper, Select, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { AvailabilityEditor } from './AvailabilityEditor.js';

/** A specialist's weekly consultation hours and leave, chosen from the specialist directory. */
export function AvailabilityPage() {
  const t = useT();
  const format = useFormatters();
  const [specialistId, setSpecialistId] = useState<string | null>(null);
  const directory = useRecordsQuery('listSpecialists', { query: {} });
  const availability = useRecordsQuery(
    'getAvailability',
    { params: { id: specialistId ?? '' } },
    { enabled: specialistId !== null },
  );
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="availability-heading">
      <Title order={2} size="h3" id="availability-heading" mb="sm">
        {t('admin.availability.heading')}
      </Title>
      <QueryState query={directory} />
      <Select
        maw={420}
        mb="md"
        label={t('admin.availability.specialist')}
        placeholder={t('admin.availability.choose')}
        data={(directory.data?.items ?? []).map((s) => ({
          value: s.id,
          label: `${format.personName(s.name)} · ${format.specialtyName(s.specialty)}`,
        }))}
        value={specialistId}
        onChange={setSpecialistId}
        searchable
        nothingFoundMessage={t('admin.calendar.noSpecialists')}
      />
      {specialistId === null && <Text c="dimmed">{t('admin.availability.none')}</Text>}
      {specialistId !== null && <QueryState query={availability} />}
      {specialistId !== null && availability.data && (
        <AvailabilityEditor key={specialistId} specialistId={specialistId} availability={availability.data} />
      )}
    </Paper>
  );
}
