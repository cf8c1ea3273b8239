import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { GovernanceSnapshot } from '@telemed/shared';
import { useEffect, useRef, useState } from 'react';
import { SignalClient, SignalState } from '../../call/SignalClient.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSession } from '../../session/SessionProvider.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';

/** How often today's totals are read again from records (the live part comes from signaling by itself). */
const totalsRefreshMs = 30_000;

/**
 * The governance centre's live view for administrators: consultations running now, clinics waiting and for how
 * long, and specialists online, pushed by signaling (`governance:snapshot`); today's totals per governorate
 * from records, refetched every half minute.
 */
export function GovernancePage({ signalingUrl }: { signalingUrl?: string }) {
  const t = useT();
  const format = useFormatters();
  const { locale } = useLocale();
  const { client: session } = useSession();
  const [snapshot, setSnapshot] = useState<GovernanceSnapshot>();
  const [connected, setConnected] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const totals = useRecordsQuery('governorateTotals', {}, { refetchInterval: totalsRefreshMs });

  useEffect(() => {
    const signal = new SignalClient({
      ...(signalingUrl ? { url: signalingUrl } : {}),
      accessToken: () => session.accessToken,
      locale: () => localeRef.current,
    });
    const stops = [
      signal.onState(({ state }) => {
        setConnected(state === SignalState.connected);
        if (state === SignalState.connected) {
          void signal.request('governance:subscribe').then(setSnapshot, () => undefined);
        }
      }),
      signal.on('governance:snapshot', setSnapshot),
    ];
    void signal.connect().catch(() => undefined);
    const tick = setInterval(() => setNow(Date.now()), 10_000);
    return () => {
      for (const stop of stops) stop();
      clearInterval(tick);
      signal.close();
    };
  }, [session, signalingUrl]);

  const minutesSince = (iso: string) => Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));

  return (
    <Stack component="section" aria-labelledby="governance-heading">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2" id="governance-heading">
          {t('governance.heading')}
        </Title>
        <Badge color={connected ? 'teal' : 'gray'} variant="light" aria-live="polite">
          {connected ? t('governance.live') : t('governance.offline')}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <StatCard label={t('governance.inProgress')} value={snapshot?.inProgress.length} />
        <StatCard label={t('governance.waiting')} value={snapshot?.waiting.length} />
        <StatCard label={t('governance.specialistsOnline')} value={snapshot?.specialistsOnline.count} />
      </SimpleGrid>
      <Paper p="md" shadow="xs" component="section" aria-labelledby="governance-waiting">
        <Title order={2} size="h4" id="governance-waiting" mb="sm">
          {t('governance.waitingClinics')}
        </Title>
        {snapshot && snapshot.waiting.length === 0 && <Text c="dimmed">{t('governance.nobodyWaiting')}</Text>}
        {snapshot?.waiting.map((entry) => (
          <Group key={`${entry.appointmentId}-${entry.participantId}`} justify="space-between">
            <Text>{format.personName(entry.name)}</Text>
            <Text c={minutesSince(entry.since) >= 10 ? 'red' : undefined}>
              {t('governance.waitingFor', { minutes: minutesSince(entry.since) })}
            </Text>
          </Group>
        ))}
      </Paper>
      <Paper p="md" shadow="xs" component="section" aria-labelledby="governance-totals">
        <Title order={2} size="h4" id="governance-totals" mb="sm">
          {t('governance.todayTotals')}
          {totals.data && ` · ${format.calendarDate(totals.data.date)}`}
        </Title>
        <QueryState query={totals} />
        {totals.data && totals.data.rows.length === 0 && <Text c="dimmed">{t('governance.noClinics')}</Text>}
        {totals.data && totals.data.rows.length > 0 && (
          <DataTable
            minWidth={600}
            label={t('governance.todayTotals')}
            headers={[
              t('governance.governorate'),
              t('governance.appointments'),
              t('status.waiting'),
              t('status.in-progress'),
              t('status.completed'),
              t('status.cancelled'),
              t('status.no-show'),
            ]}
          >
            {totals.data.rows.map((row) => (
              <Table.Tr key={row.governorate}>
                <Table.Td dir="auto">{row.governorate}</Table.Td>
                <Table.Td>{format.number(row.appointments)}</Table.Td>
                <Table.Td>{format.number(row.waiting)}</Table.Td>
                <Table.Td>{format.number(row.inProgress)}</Table.Td>
                <Table.Td>{format.number(row.completed)}</Table.Td>
                <Table.Td>{format.number(row.cancelled)}</Table.Td>
                <Table.Td>{format.number(row.noShow)}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Paper>
      {snapshot && (
        <Text size="xs" c="dimmed">
          {t('governance.updatedAt', { at: format.dateTime(snapshot.at) })}
        </Text>
      )}
    </Stack>
  );
}

/** One of the live figures at the top: its label, and the count once the first snapshot has come. */
function StatCard({ label, value }: { label: string; value: number | undefined }) {
  const format = useFormatters();
  return (
    <Paper p="md" shadow="xs">
      <Text c="dimmed">{label}</Text>
      <Text fz="h2" fw={700}>
        {value === undefined ? '—' : format.number(value)}
      </Text>
    </Paper>
  );
}
