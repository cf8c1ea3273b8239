import { Alert, Button, Loader, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { defaultTimeZone, type Specialty } from '@telemed/shared';
import { useMemo, useState } from 'react';
import { useT } from '../../i18n/LocaleProvider.js';
import {
  errorMessageOf,
  recordsQueryRoot,
  useRecordsMutation,
  useRecordsQuery,
} from '../../records/useRecordsQuery.js';
import { useSession, useSignedInUser } from '../../session/SessionProvider.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { type BusyTime, type FreeSlot, nextDays, type SpecialistHours } from './freeSlots.js';
import { ReasonField } from './ReasonField.js';
import { SlotPicker } from './SlotPicker.js';
import { SpecialtyChoice } from './SpecialtyChoice.js';

/** How far ahead the clinic books: two weeks of days to choose from. */
const daysAhead = 14;

/**
 * Books a consultation for a patient with a specialty (any of its specialists) or a named specialist, in a
 * slot the picker offers as free. If someone else takes the slot first, records refuses and its message (in
 * the person's language) is shown, and the free slots are read again.
 */
export function BookAppointment({ patientId, onBooked }: { patientId: string; onBooked(): void }) {
  const t = useT();
  const format = useFormatters();
  const { client } = useSession();
  const user = useSignedInUser();
  const [mode, setMode] = useState<'specialty' | 'specialist'>('specialty');
  const [specialty, setSpecialty] = useState<Specialty | null>(null);
  const [specialistId, setSpecialistId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [slot, setSlot] = useState<FreeSlot | null>(null);
  const [missing, setMissing] = useState(false);
  // Fixed while the form is open, so the slots do not shift under the pointer.
  const now = useMemo(() => new Date(), []);
  const days = useMemo(() => nextDays(now, defaultTimeZone, daysAhead), [now]);
  const [day, setDay] = useState(days[0] ?? '');

  const specialists = useRecordsQuery(
    'listSpecialists',
    { query: { specialty: specialty ?? undefined } },
    { enabled: specialty !== null },
  );
  const candidates = (specialists.data?.items ?? []).filter(
    (s) => mode === 'specialty' || s.id === specialistId,
  );
  const availability = useQueries({
    queries: candidates.map((s) => ({
      queryKey: [recordsQueryRoot, 'getAvailability', { params: { id: s.id } }],
      queryFn: () => client.call('getAvailability', { params: { id: s.id } }),
    })),
  });
  const hours: SpecialistHours[] = availability.flatMap((q) => (q.data ? [q.data] : []));
  const range = useMemo(
    () => ({ from: now.toISOString(), to: new Date(now.getTime() + daysAhead * 86_400_000).toISOString() }),
    [now],
  );
  // Every clinic's bookings of the candidates, as bare times: records lists a clinic only its own appointments.
  const busyTimes = useQueries({
    queries: candidates.map((s) => {
      const args = { params: { id: s.id }, query: range };
      return {
        queryKey: [recordsQueryRoot, 'getSpecialistBusy', args],
        queryFn: () => client.call('getSpecialistBusy', args),
      };
    }),
  });
  const busy: BusyTime[] = busyTimes.flatMap(({ data }) =>
    data ? data.items.map((b) => ({ ...b, specialistId: data.specialistId })) : [],
  );
  const book = useRecordsMutation('bookAppointment');

  const chooseSpecialty = (value: Specialty | null) => {
    setSpecialty(value);
    setSpecialistId(null);
    setSlot(null);
  };
  const submit = () => {
    if (!specialty || !slot || !reason.trim() || (mode === 'specialist' && !specialistId)) {
      setMissing(true);
      return;
    }
    book.mutate(
      {
        body: {
          clinicId: user.organizationId,
          patientId,
          specialty,
          specialistId: mode === 'specialist' ? (specialistId ?? undefined) : undefined,
          start: slot.start,
          end: slot.end,
          reason: reason.trim(),
        },
      },
      { onSuccess: onBooked, onError: () => setSlot(null) },
    );
  };

  const loadingHours = availability.some((q) => q.isPending) || busyTimes.some((q) => q.isPending);
  const hoursFailed = availability.find((q) => q.isError) ?? busyTimes.find((q) => q.isError);
  const ready = specialty !== null && (mode === 'specialty' || specialistId !== null);
  return (
    <PageSection headingId="booking-heading" title={t('booking.heading')}>
      <Stack gap="sm">
        <SegmentedControl
          aria-label={t('booking.mode')}
          value={mode}
          onChange={(value) => {
            setMode(value as 'specialty' | 'specialist');
            setSlot(null);
          }}
          data={[
            { value: 'specialty', label: t('booking.bySpecialty') },
            { value: 'specialist', label: t('booking.bySpecialist') },
          ]}
        />
        <SpecialtyChoice value={specialty} onChange={chooseSpecialty} missing={missing} />
        {mode === 'specialist' && specialty && (
          <Select
            label={t('booking.specialist')}
            placeholder={t('booking.chooseSpecialist')}
            data={(specialists.data?.items ?? []).map((s) => ({
              value: s.id,
              label: format.personName(s.name),
            }))}
            value={specialistId}
            onChange={(value) => {
              setSpecialistId(value);
              setSlot(null);
            }}
            nothingFoundMessage={t('booking.noSpecialists')}
            error={missing && !specialistId ? t('booking.required') : undefined}
          />
        )}
        {specialty && <QueryState query={specialists} />}
        {specialty && specialists.data?.items.length === 0 && (
          <Alert color="yellow">{t('booking.noSpecialists')}</Alert>
        )}
        {ready && candidates.length > 0 && (
          <>
            {hoursFailed && (
              <Alert color="red" role="alert">
                {errorMessageOf(hoursFailed.error)}
              </Alert>
            )}
            {loadingHours ? (
              <Loader size="sm" aria-label={t('common.loading')} />
            ) : (
              <SlotPicker
                days={days}
                day={day}
                onDayChange={(d) => {
                  setDay(d);
                  setSlot(null);
                }}
                hours={hours}
                busy={busy}
                now={now}
                value={slot}
                onChange={setSlot}
              />
            )}
            {missing && !slot && (
              <Text c="red" size="sm">
                {t('booking.chooseSlot')}
              </Text>
            )}
          </>
        )}
        <ReasonField label="booking.reason" value={reason} onChange={setReason} missing={missing} />
        {book.isError && (
          <Alert color="red" role="alert">
            {errorMessageOf(book.error)}
          </Alert>
        )}
        <Button onClick={submit} loading={book.isPending} style={{ alignSelf: 'flex-start' }}>
          {t('booking.submit')}
        </Button>
      </Stack>
    </PageSection>
  );
}
