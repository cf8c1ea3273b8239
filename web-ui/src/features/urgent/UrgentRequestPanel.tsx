import { Alert, Badge, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { Specialty } from '@telemed/shared';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { ReasonField } from '../booking/ReasonField.js';
import { SpecialtyChoice } from '../booking/SpecialtyChoice.js';
import { consultationPath } from '../consultation/call/consultationPath.js';
import { useMinutesSince } from '../consultation/call/useMinutesSince.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';

/**
 * Signaling has no event for "an urgent request was taken" (`shared/src/socket/signalingEvents.ts`), so the
 * clinic asks records again this often until a specialist has it.
 */
export const urgentWatchEveryMs = 4_000;

/**
 * Raises an urgent request for a patient, then watches it until a specialist takes it. The request's id is in
 * the URL (`?request=`), so a reload or a return keeps watching the same one.
 */
export function UrgentRequestPanel({ patientId }: { patientId: string }) {
  const t = useT();
  const _format = useFormatters();
  const [searchParams, setSearchParams] = useSearchParams();
  const requestId = searchParams.get('request');
  const [specialty, setSpecialty] = useState<Specialty | null>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const raise = useRecordsMutation('requestUrgent');

  const submit = () => {
    if (!specialty || !reason.trim()) {
      setMissing(true);
      return;
    }
    raise.mutate(
      { body: { patientId, specialty, reason: reason.trim() } },
      {
        onSuccess: (appointment) =>
          setSearchParams((params) => {
            params.set('request', appointment.id);
            return params;
          }),
      },
    );
  };

  return (
    <PageSection headingId="urgent-request-heading" title={t('urgentRequest.heading')}>
      <Stack gap="sm">
        {requestId ? (
          <UrgentWatch appointmentId={requestId} />
        ) : (
          <>
            <SpecialtyChoice value={specialty} onChange={setSpecialty} missing={missing} />
            <ReasonField label="urgentRequest.reason" value={reason} onChange={setReason} missing={missing} />
            {raise.isError && (
              <Alert color="red" role="alert">
                {errorMessageOf(raise.error)}
              </Alert>
            )}
            <Button
              color="red"
              onClick={submit}
              loading={raise.isPending}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('urgentRequest.submit')}
            </Button>
          </>
        )}
      </Stack>
    </PageSection>
  );
}

function UrgentWatch({ appointmentId }: { appointmentId: string }) {
  const t = useT();
  const format = useFormatters();
  const [taken, setTaken] = useState(false);
  const query = useRecordsQuery(
    'getAppointment',
    { params: { id: appointmentId } },
    { refetchInterval: taken ? undefined : urgentWatchEveryMs },
  );
  const appointment = query.data;
  const specialistId = appointment?.specialistId;
  if (specialistId && !taken) setTaken(true);
  const specialists = useRecordsQuery(
    'listSpecialists',
    { query: { specialty: appointment?.specialty } },
    { enabled: specialistId !== undefined },
  );
  const minutes = useMinutesSince(appointment?.waitingSince ?? appointment?.start);
  if (!appointment) return <QueryState query={query} />;
  const specialist = specialists.data?.items.find((s) => s.id === specialistId);
  const over =
    appointment.status === 'cancelled' ||
    appointment.status === 'no-show' ||
    appointment.status === 'completed';

  return (
    <Stack gap="xs" role="status" aria-live="polite">
      <Group gap="xs">
        <Text fw={500}>{format.specialtyName(appointment.specialty)}</Text>
        <Badge color={specialistId ? 'teal' : 'red'} variant="light">
          {t(specialistId ? 'urgentRequest.taken' : 'urgentRequest.waiting')}
        </Badge>
      </Group>
      <Text size="sm" dir="auto">
        {appointment.reason}
      </Text>
      {specialistId ? (
        <>
          <Alert color="teal">
            {t('urgentRequest.takenBy', { name: specialist ? format.personName(specialist.name) : '…' })}
          </Alert>
          {!over && (
            <Button
              component={Link}
              to={consultationPath(appointment.id)}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('call.start')}
            </Button>
          )}
        </>
      ) : (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm" c="dimmed">
            {t('urgentRequest.waitingFor', { minutes })}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
