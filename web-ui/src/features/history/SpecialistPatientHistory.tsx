import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Consultation, VitalSign } from '@telemed/shared';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { notePath } from '../consultation/call/consultationPath.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { Fact } from './Fact.js';

/** A vital sign's reading as one string, with its unit. */
function reading(v: VitalSign): string {
  return v.kind === 'blood-pressure' ? `${v.systolic}/${v.diastolic} ${v.unit}` : `${v.value} ${v.unit}`;
}

/**
 * `/patients/:id` in the specialist app: read-only, what records lets this specialist read of the patient
 * (their own consultations, and the signed history of a patient they are booked with): the record's clinical
 * fields, each consultation with its diagnoses and signed note, and the vital signs taken in them.
 */
export function SpecialistPatientHistory({ patientId }: { patientId: string }) {
  const t = useT();
  const format = useFormatters();
  const patient = useRecordsQuery('getPatient', { params: { id: patientId } });
  const consultations = useRecordsQuery('listPatientConsultations', { params: { patientId } });
  const p = patient.data;
  const items = consultations.data?.items;
  const vitals = (items ?? [])
    .flatMap((c) => c.vitalSigns)
    .sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt));

  return (
    <Stack gap="md">
      <Paper component="section" p="md" shadow="xs" aria-labelledby="history-patient">
        <QueryState query={patient} />
        {p && (
          <Stack gap="xs">
            <Title order={2} size="h3" id="history-patient">
              {format.personName(p.name)}
            </Title>
            <Text c="dimmed" size="sm">
              {t('patients.mrn')}: <bdi className="identifier">{p.mrn}</bdi> · {t('patients.birthDate')}:{' '}
              {format.calendarDate(p.birthDate)}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <Listed label={t('specialistHistory.allergies')} values={p.allergies} />
              <Listed label={t('specialistHistory.chronic')} values={p.chronicConditions} />
              <Listed
                label={t('specialistHistory.medications')}
                values={p.currentMedications?.map((m) => [m.name, m.dose].filter(Boolean).join(' '))}
              />
            </SimpleGrid>
          </Stack>
        )}
      </Paper>

      <PageSection headingId="history-consultations" size="h4" title={t('specialistHistory.consultations')}>
        <QueryState query={consultations} />
        {items && items.length === 0 && <Text c="dimmed">{t('specialistHistory.noConsultations')}</Text>}
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items?.map((c) => (
            <ConsultationCard key={c.id} consultation={c} />
          ))}
        </Stack>
      </PageSection>

      <PageSection headingId="history-vitals" size="h4" title={t('specialistHistory.vitals')}>
        {items && vitals.length === 0 && <Text c="dimmed">{t('specialistHistory.noVitals')}</Text>}
        {vitals.length > 0 && (
          <Table.ScrollContainer minWidth={360}>
            <Table striped verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('specialistHistory.vitalTakenAt')}</Table.Th>
                  <Table.Th scope="col">{t('specialistHistory.vitalKind')}</Table.Th>
                  <Table.Th scope="col">{t('specialistHistory.vitalValue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {vitals.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(v.takenAt)}</Table.Td>
                    <Table.Td>{t(`specialistHistory.vital.${v.kind}`)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <bdi>{reading(v)}</bdi>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageSection>
    </Stack>
  );
}

function ConsultationCard({ consultation: c }: { consultation: Consultation }) {
  const t = useT();
  const format = useFormatters();
  return (
    <Card component="li" withBorder padding="sm">
      <Group justify="space-between" gap="xs" wrap="wrap" mb={4}>
        <Text fw={600}>{format.dateTime(c.signedAt ?? c.createdAt)}</Text>
        <Badge color={c.status === 'signed' ? 'teal' : 'yellow'} variant="light">
          {c.status === 'signed' ? t('notes.status.signed') : t('notes.status.draft')}
        </Badge>
      </Group>
      {c.content.reasonForVisit && (
        <Text size="sm" dir="auto">
          {c.content.reasonForVisit}
        </Text>
      )}
      {c.content.diagnoses && c.content.diagnoses.length > 0 && (
        <Text size="sm" mt={4}>
          {t('note.diagnoses')}:{' '}
          {c.content.diagnoses.map((d) => (
            <span key={d.code}>
              <bdi className="identifier">{d.code}</bdi> <bdi>{d.text}</bdi>{' '}
            </span>
          ))}
        </Text>
      )}
      {c.content.plan && (
        <Text size="sm" mt={4} dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
          {t('note.plan')}: {c.content.plan}
        </Text>
      )}
      {c.amendments.length > 0 && <Text size="sm">{t('note.amended', { count: c.amendments.length })}</Text>}
      <Anchor component={Link} to={notePath(c.appointmentId)} size="sm" mt={4}>
        {t('specialistHistory.openNote')}
      </Anchor>
    </Card>
  );
}

function Listed({ label, values }: { label: string; values: string[] | undefined }) {
  const t = useT();
  return (
    <Fact label={label}>
      <Text dir="auto">{values && values.length > 0 ? values.join('، ') : t('specialistHistory.none')}</Text>
    </Fact>
  );
}
