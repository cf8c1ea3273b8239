import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { PatientRecord } from '@telemed/shared';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { Fact } from './Fact.js';
import { PatientAppointments } from './PatientAppointments.js';
import { PatientConsultations } from './PatientConsultations.js';
import { VitalsTrends } from './VitalsTrends.js';

/** Where each of the patient's screens is. */
export const patientPaths = {
  register: '/patients/new',
  record: (id: string) => `/patients/${id}`,
  edit: (id: string) => `/patients/${id}/edit`,
  book: (id: string) => `/patients/${id}/book`,
  urgent: (id: string) => `/patients/${id}/urgent`,
};

/**
 * `/patients/:id`: who the patient is and what is known of them (allergies, chronic conditions, medications),
 * what is coming (appointments to call, cancel or mark a no-show), and what happened (consultations with their
 * signed notes, diagnoses and attachments, vital signs as trends).
 */
export function PatientHistory({ patientId }: { patientId: string }) {
  const format = useFormatters();
  const patient = useRecordsQuery('getPatient', { params: { id: patientId } });
  const consultations = useRecordsQuery('listPatientConsultations', { params: { patientId } });
  if (!patient.data) return <QueryState query={patient} />;
  const who = format.personName(patient.data.name);
  const readings = consultations.data?.items.flatMap((c) => c.vitalSigns) ?? [];
  return (
    <Stack gap="md">
      <PatientOverview patient={patient.data} />
      <PatientAppointments patientId={patientId} who={who} />
      {consultations.data ? (
        <>
          <PatientConsultations consultations={consultations.data.items} />
          <VitalsTrends readings={readings} />
        </>
      ) : (
        <QueryState query={consultations} />
      )}
    </Stack>
  );
}

function PatientOverview({ patient }: { patient: PatientRecord }) {
  const t = useT();
  const format = useFormatters();
  const list = (items: readonly string[] | undefined) =>
    items && items.length > 0 ? (
      <Group gap={4}>
        {items.map((item) => (
          <Badge key={item} variant="light" color="gray" style={{ textTransform: 'none' }}>
            <bdi>{item}</bdi>
          </Badge>
        ))}
      </Group>
    ) : (
      <Text c="dimmed" size="sm">
        {t('history.noneRecorded')}
      </Text>
    );
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="patient-heading">
      <Group justify="space-between" align="flex-start" gap="xs" mb="sm">
        <div>
          <Title order={2} size="h3" id="patient-heading">
            {format.personName(patient.name)}
          </Title>
          <Text size="sm" c="dimmed">
            <bdi lang="en">{patient.name.latin}</bdi> · <bdi lang="ar">{patient.name.ar}</bdi>
          </Text>
        </div>
        <Group gap="xs">
          <Button component={Link} to={patientPaths.book(patient.id)}>
            {t('history.book')}
          </Button>
          <Button component={Link} to={patientPaths.urgent(patient.id)} color="red" variant="light">
            {t('history.urgent')}
          </Button>
          <Button component={Link} to={patientPaths.edit(patient.id)} variant="default">
            {t('history.edit')}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mb="sm">
        <Fact label={t('patients.mrn')}>
          <bdi className="identifier">{patient.mrn}</bdi>
        </Fact>
        <Fact label={t('patientForm.nationalId')}>
          {patient.nationalId ? <bdi className="identifier">{patient.nationalId}</bdi> : '—'}
        </Fact>
        <Fact label={t('patients.birthDate')}>{format.calendarDate(patient.birthDate)}</Fact>
        <Fact label={t('patientForm.sex')}>
          {t(patient.sex === 'male' ? 'patientForm.male' : 'patientForm.female')}
        </Fact>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Fact label={t('patientForm.allergies')}>{list(patient.allergies)}</Fact>
        <Fact label={t('patientForm.chronicConditions')}>{list(patient.chronicConditions)}</Fact>
        <Fact label={t('patientForm.medications')}>
          {list(patient.currentMedications?.map((m) => (m.dose ? `${m.name} — ${m.dose}` : m.name)))}
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}
