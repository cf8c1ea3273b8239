import { Alert, Button, Divider, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Consultation } from '@telemed/shared';
import type { ReactNode } from 'react';
import { useLocale, useT } from '../../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../../records/useRecordsQuery.js';
import { useFormatters } from '../../formatting.js';
import { QueryState } from '../../QueryState.js';
import './signedNotePrint.css';

/**
 * The signed note as the clinic doctor reads and prints it: the hospital's and the clinic's names, the
 * patient, the diagnoses with their codes, the plan, and the specialist's signature with its time. The print
 * stylesheet puts only this on an A4 page, in the page's language and direction.
 */
export function SignedNoteView({ consultationId }: { consultationId: string }) {
  const t = useT();
  // The call's panels share this cache entry and their live notices keep it fresh, but no notice says the
  // note was signed: read it again on opening, or the clinic is told "not signed yet" after the signature.
  const query = useRecordsQuery(
    'getConsultation',
    { params: { id: consultationId } },
    { refetchOnMount: 'always' },
  );
  const record = query.data;
  if (!record) return <QueryState query={query} />;
  if (record.status !== 'signed') {
    return (
      <Paper p="md" shadow="xs" component="section" aria-labelledby="note-heading">
        <Title order={2} size="h3" id="note-heading" mb="xs">
          {t('note.signedNote')}
        </Title>
        <Text c="dimmed">{t('note.notSignedYet')}</Text>
      </Paper>
    );
  }
  return <SignedNote record={record} />;
}

function SignedNote({ record }: { record: Consultation }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const appointment = useRecordsQuery('getAppointment', { params: { id: record.appointmentId } });
  const clinic = useRecordsQuery('getOrganization', { params: { id: record.clinicId } });
  const patient = useRecordsQuery('getPatient', { params: { id: record.patientId } });
  const specialty = appointment.data?.specialty;
  // The directory of the appointment's specialty: a few names, not every specialist.
  const specialists = useRecordsQuery(
    'listSpecialists',
    { query: { specialty } },
    { enabled: specialty !== undefined },
  );
  const signer = specialists.data?.items.find((s) => s.id === (record.signedBy ?? record.specialistId));
  const hospital = useRecordsQuery(
    'getOrganization',
    { params: { id: signer?.organizationId ?? '' } },
    { enabled: signer !== undefined },
  );
  const orgName = (org: { name: { ar: string; en: string } } | undefined) => (org ? org.name[locale] : '…');
  const content = record.content;
  const failed = [appointment, clinic, patient, specialists, hospital].find((q) => q.isError);

  return (
    <Paper
      component="article"
      className="signed-note"
      p="lg"
      shadow="xs"
      withBorder
      aria-labelledby="note-heading"
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Stack gap={2}>
            <Text fw={700} size="lg">
              {orgName(hospital.data)}
            </Text>
            <Text c="dimmed">{t('note.print.clinic', { clinic: orgName(clinic.data) })}</Text>
          </Stack>
          <Button className="no-print" onClick={() => window.print()}>
            {t('note.print')}
          </Button>
        </Group>
        {failed && (
          <div className="no-print">
            <QueryState query={failed} />
          </div>
        )}
        <Divider />
        <Title order={2} size="h3" id="note-heading">
          {t('note.signedNote')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" className="note-section">
          <Labelled label={t('appointments.patient')}>
            {format.personName(patient.data?.name)}
            {patient.data && (
              <Text span c="dimmed">
                {' · '}
                <bdi className="identifier">{patient.data.mrn}</bdi>
              </Text>
            )}
          </Labelled>
          <Labelled label={t('note.print.date')}>
            {appointment.data ? format.dateTime(appointment.data.start) : '…'}
          </Labelled>
          {specialty && (
            <Labelled label={t('appointments.specialty')}>{format.specialtyName(specialty)}</Labelled>
          )}
          {content.reasonForVisit && (
            <Labelled label={t('appointments.reason')}>{content.reasonForVisit}</Labelled>
          )}
        </SimpleGrid>
        {content.findings && <Section title={t('note.findings')}>{content.findings}</Section>}
        <Section title={t('note.diagnoses')}>
          {content.diagnoses && content.diagnoses.length > 0 ? (
            <Table verticalSpacing={4} withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" style={noWrap}>
                    {t('note.print.code')}
                  </Table.Th>
                  <Table.Th scope="col">{t('note.print.diagnosis')}</Table.Th>
                  <Table.Th scope="col" style={noWrap}>
                    {t('note.print.kind')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {content.diagnoses.map((d) => (
                  <Table.Tr key={d.code}>
                    <Table.Td style={noWrap}>
                      <bdi className="identifier">{d.code}</bdi>
                    </Table.Td>
                    <Table.Td dir="auto">{d.text}</Table.Td>
                    <Table.Td style={noWrap}>
                      {d.kind === 'secondary' ? t('note.diagnoses.secondary') : t('note.diagnoses.primary')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            t('note.diagnoses.empty')
          )}
        </Section>
        {content.plan && <Section title={t('note.plan')}>{content.plan}</Section>}
        {content.recommendations && (
          <Section title={t('note.recommendations')}>{content.recommendations}</Section>
        )}
        {content.referral && (
          <Section title={t('note.referral')}>
            {[
              content.referral.specialty && format.specialtyName(content.referral.specialty),
              content.referral.facility,
              t(`note.referral.urgency.${content.referral.urgency ?? 'routine'}`),
            ]
              .filter(Boolean)
              .join(' · ')}
            {'\n'}
            {content.referral.reason}
          </Section>
        )}
        {content.followUpDate && (
          <Section title={t('note.followUp')}>{format.calendarDate(content.followUpDate)}</Section>
        )}
        {record.amendments.length > 0 && (
          <Alert color="gray" p="xs" className="note-section">
            {t('note.amended', { count: record.amendments.length })}
          </Alert>
        )}
        <div className="note-signature">
          <Text fw={600}>{t('note.print.signedBy', { name: format.personName(signer?.name) })}</Text>
          <Text size="sm" c="dimmed">
            {t('note.print.signedAt', { at: format.dateTime(record.signedAt ?? record.updatedAt) })}
          </Text>
        </div>
      </Stack>
    </Paper>
  );
}

/** Codes and the one-word kind stay whole on a phone; the diagnosis's name wraps instead. */
const noWrap = { whiteSpace: 'nowrap' } as const;

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text dir="auto">{children}</Text>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="note-section">
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      <Text component="div" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </section>
  );
}
