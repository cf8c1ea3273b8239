import '@mantine/charts/styles.css';
import { Button, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReportGrouping, ReportRow } from '@telemed/shared';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { CalendarDateInput } from '../../forms/CalendarDateInput.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSession } from '../../session/SessionProvider.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { hospitalDayOf, isCalendarDay } from '../schedule/hospitalClock.js';
import { ReportChart } from './ReportChart.js';
import { type ReportFilters, reportFiltersFrom, reportSearchParams } from './reportFilters.js';

/** The hospital's today: a report opened just after midnight in Cairo is of the new day, not UTC's. */
const today = () => hospitalDayOf(new Date());

/** Consultations per clinic, specialty or day: charts of the rates and medians, the table under them, CSV. */
export function ReportsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { client } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = reportFiltersFrom(params, today());
  const query = useRecordsQuery('consultationReport', { query: filters });
  const report = typeof query.data === 'object' ? query.data : undefined;
  const [downloadError, setDownloadError] = useState<string>();
  const format = useFormatters();
  const number = (value: number) => format.number(value, { maximumFractionDigits: 1 });
  const percent = (value: number) => format.number(value, { style: 'percent', maximumFractionDigits: 1 });
  // A day's group is its date (`YYYY-MM-DD`, the same in both languages): shown as a date, in the locale's digits.
  const groupLabel = (row: ReportRow) =>
    report?.groupBy === 'day' && isCalendarDay(row.group)
      ? format.calendarDate(row.group)
      : row.labels[locale];

  const change = (next: Partial<ReportFilters>) => setParams(reportSearchParams({ ...filters, ...next }));

  const downloadCsv = async () => {
    setDownloadError(undefined);
    try {
      const csv = await client.call('consultationReport', { query: { ...filters, format: 'csv' } });
      const text = typeof csv === 'string' ? csv : JSON.stringify(csv);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      link.download = `consultations-${filters.from}-${filters.to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setDownloadError(errorMessageOf(error));
    }
  };

  const rows = report?.rows ?? [];
  const chartData = rows.map((row) => ({
    label: groupLabel(row),
    [t('reports.appointments')]: row.appointments,
    [t('reports.completed')]: row.completed,
    [t('reports.noShowRate')]: Math.round(row.noShowRate * 1000) / 10,
    [t('reports.cancellationRate')]: Math.round(row.cancellationRate * 1000) / 10,
    [t('reports.medianWait')]: row.medianWaitMinutes ?? 0,
    [t('reports.medianDuration')]: row.medianDurationMinutes ?? 0,
  }));

  return (
    <Stack component="section" aria-labelledby="reports-heading">
      <Title order={1} size="h2" id="reports-heading">
        {t('reports.heading')}
      </Title>
      <Paper p="md" shadow="xs" component="form" aria-label={t('reports.filters')}>
        <Group align="end" wrap="wrap">
          <CalendarDateInput
            label={t('reports.from')}
            value={filters.from}
            onChange={(day) => day && change({ from: day })}
          />
          <CalendarDateInput
            label={t('reports.to')}
            value={filters.to}
            onChange={(day) => day && change({ to: day })}
          />
          <NativeSelect
            label={t('reports.groupBy')}
            value={filters.groupBy}
            data={(['clinic', 'specialty', 'day'] as ReportGrouping[]).map((g) => ({
              value: g,
              label: t(`reports.groupBy.${g}`),
            }))}
            onChange={(e) => change({ groupBy: e.currentTarget.value as ReportGrouping })}
          />
          <Button variant="light" onClick={() => void downloadCsv()}>
            {t('reports.downloadCsv')}
          </Button>
        </Group>
        {downloadError && (
          <Text c="red" role="alert" mt="xs">
            {downloadError}
          </Text>
        )}
      </Paper>
      <QueryState query={query} />
      {report && rows.length === 0 && <Text c="dimmed">{t('reports.empty')}</Text>}
      {rows.length > 0 && (
        <>
          <ReportChart
            title={t('reports.countsChart')}
            data={chartData}
            locale={locale}
            number={number}
            series={[
              { name: t('reports.appointments'), color: 'indigo.6' },
              { name: t('reports.completed'), color: 'teal.6' },
            ]}
          />
          <ReportChart
            title={t('reports.ratesChart')}
            data={chartData}
            locale={locale}
            number={number}
            unit="%"
            series={[
              { name: t('reports.noShowRate'), color: 'red.6' },
              { name: t('reports.cancellationRate'), color: 'orange.6' },
            ]}
          />
          <ReportChart
            title={t('reports.timesChart')}
            data={chartData}
            locale={locale}
            number={number}
            series={[
              { name: t('reports.medianWait'), color: 'teal.6' },
              { name: t('reports.medianDuration'), color: 'blue.6' },
            ]}
          />
          <DataTable
            minWidth={720}
            label={t('reports.table')}
            headers={[
              t(`reports.groupBy.${filters.groupBy}`),
              t('reports.appointments'),
              t('reports.completed'),
              t('reports.noShowRate'),
              t('reports.cancellationRate'),
              t('reports.medianWait'),
              t('reports.medianDuration'),
            ]}
          >
            {rows.map((row) => (
              <Table.Tr key={row.group}>
                <Table.Td dir="auto">{groupLabel(row)}</Table.Td>
                <Table.Td>{number(row.appointments)}</Table.Td>
                <Table.Td>{number(row.completed)}</Table.Td>
                <Table.Td>{percent(row.noShowRate)}</Table.Td>
                <Table.Td>{percent(row.cancellationRate)}</Table.Td>
                <Table.Td>{row.medianWaitMinutes === null ? '—' : number(row.medianWaitMinutes)}</Table.Td>
                <Table.Td>
                  {row.medianDurationMinutes === null ? '—' : number(row.medianDurationMinutes)}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </>
      )}
    </Stack>
  );
}
