import { Alert, Stack, Title } from '@mantine/core';
import type { Appointment, CallRole } from '@telemed/shared';
import { useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { CallClient, CallState } from '../../call/CallClient.js';
import { CallProvider, useCall, useCallSnapshot } from '../../call/CallProvider.js';
import { openLocalStream } from '../../call/devices.js';
import { SignalClient } from '../../call/SignalClient.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSession, useSignedInUser } from '../../session/SessionProvider.js';
import { useFormatters } from '../formatting.js';
import { NetworkTestPanel } from '../precall/NetworkTestPanel.js';
import { QueryState } from '../QueryState.js';
import { CallOutcome } from './call/CallOutcome.js';
import { CallScreen } from './call/CallScreen.js';
import { DeviceCheck } from './call/DeviceCheck.js';
import { WaitingRoom } from './call/WaitingRoom.js';

/**
 * `/consultations/:appointmentId` (and `?admit=<participant>` from the specialist's waiting list): one page
 * that shows the step the call is at: device check, waiting room, the call, or how it ended. Opening it
 * again after leaving joins the same room again. Loaded lazily: it carries mediasoup-client.
 */
export default function ConsultationPage() {
  const t = useT();
  const format = useFormatters();
  const { appointmentId = '' } = useParams();
  const appointment = useRecordsQuery('getAppointment', { params: { id: appointmentId } });
  const patient = useRecordsQuery(
    'getPatient',
    { params: { id: appointment.data?.patientId ?? '' } },
    { enabled: Boolean(appointment.data?.patientId) },
  );
  const data = appointment.data;
  const patientName = format.personName(patient.data?.name ?? data?.patient?.name);
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('call.heading', { name: patientName })}
      </Title>
      <QueryState query={appointment} />
      {data && !data.callRole && (
        <Alert color="red" role="alert">
          {t('call.notInCall')}
        </Alert>
      )}
      {data?.callRole && (
        <ConsultationCall
          key={data.id}
          appointment={data}
          callRole={data.callRole}
          patientName={patientName}
        />
      )}
    </Stack>
  );
}

/** The appointment being consulted on, the signed-in person's part in its call, and the patient's name. */
interface ConsultationCallProps {
  appointment: Appointment;
  callRole: CallRole;
  patientName: string;
}

function ConsultationCall({ appointment, callRole, patientName }: ConsultationCallProps) {
  const user = useSignedInUser();
  const { client: session } = useSession();
  const { locale } = useLocale();
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const [call] = useState(
    () =>
      new CallClient({
        signal: new SignalClient({ accessToken: () => session.accessToken, locale: () => localeRef.current }),
        selfId: user.id,
        refreshSession: () => session.restore().then((u) => u !== null),
        acquireLocalStream: () => openLocalStream(),
      }),
  );
  return (
    <CallProvider client={call}>
      <CallSteps appointment={appointment} callRole={callRole} patientName={patientName} />
    </CallProvider>
  );
}

const inCall: ReadonlySet<CallState> = new Set([
  CallState.connecting,
  CallState.connected,
  CallState.reconnecting,
]);

function CallSteps({ appointment, callRole, patientName }: ConsultationCallProps) {
  const t = useT();
  const format = useFormatters();
  const call = useCall();
  const snapshot = useCallSnapshot();
  const user = useSignedInUser();
  const [search] = useSearchParams();
  const [joinError, setJoinError] = useState<string | null>(null);
  // The device check comes first, and again before going back in after leaving.
  const [checking, setChecking] = useState(true);
  const host = callRole === 'booked-specialist';
  const closedBefore = appointment.status === 'completed' || appointment.status === 'cancelled';
  const consultation = useRecordsQuery(
    'openConsultation',
    { params: { appointmentId: appointment.id } },
    { enabled: callRole !== 'invited-specialist' && appointment.status !== 'cancelled' },
  );
  const specialists = useRecordsQuery('listSpecialists', { query: { specialty: appointment.specialty } });
  const specialistName = format.personName(
    specialists.data?.items.find((s) => s.id === appointment.specialistId)?.name,
  );
  useAdmitting(host, search.get('admit'));

  const join = (stream: MediaStream) => {
    setJoinError(null);
    setChecking(false);
    call.join(appointment.id, stream).catch((failure: unknown) => {
      setJoinError(errorMessageOf(failure));
      setChecking(true);
    });
  };
  const leave = () => {
    const stream = call.snapshot.localStream;
    void call.leave().finally(() => {
      for (const track of stream?.getTracks() ?? []) track.stop();
    });
  };

  const { state } = snapshot;
  if (closedBefore && state === CallState.idle) {
    return (
      <CallOutcome
        ended
        endReason="ended"
        error={null}
        consultationId={consultation.data?.id}
        writesNote={host}
        onRejoin={() => undefined}
      />
    );
  }
  if (checking || state === CallState.joining) {
    return (
      <Stack gap="sm">
        {joinError && (
          <Alert color="red" role="alert">
            {joinError}
          </Alert>
        )}
        <DeviceCheck
          joinLabel={host && search.get('admit') ? t('call.joinAndAdmit') : t('call.join')}
          joining={state === CallState.joining}
          onJoin={join}
        />
        {/* The clinic is the side on a weak rural link: it may test it before going in. */}
        {user.role === 'clinic_doctor' && <NetworkTestPanel />}
      </Stack>
    );
  }
  if (state === CallState.waiting) {
    return <WaitingRoom patientName={patientName} specialistName={specialistName} onLeave={leave} />;
  }
  if (inCall.has(state)) {
    return (
      <CallScreen
        appointmentId={appointment.id}
        consultationId={consultation.data?.id}
        callRole={callRole}
        specialty={appointment.specialty}
        selfId={user.id}
        onLeave={leave}
      />
    );
  }
  return (
    <CallOutcome
      ended={state === CallState.ended}
      endReason={snapshot.endReason}
      error={snapshot.error?.message ?? null}
      consultationId={consultation.data?.id}
      writesNote={host}
      onRejoin={() => setChecking(true)}
    />
  );
}

/**
 * The booked specialist lets in the clinic they came to admit (`?admit=`), and lets back in at once a clinic
 * admitted earlier in this call that left by mistake and came back (the room makes it wait again).
 */
function useAdmitting(host: boolean, admitFirst: string | null) {
  const call = useCall();
  const admitted = useRef(new Set<string>(admitFirst ? [admitFirst] : []));
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!host) return;
    const check = () => {
      const { state, participants } = call.snapshot;
      if (!inCall.has(state)) return;
      for (const p of participants) {
        if (p.status === 'joined') {
          admitted.current.add(p.participantId);
          asked.current.delete(p.participantId);
        } else if (admitted.current.has(p.participantId) && !asked.current.has(p.participantId)) {
          asked.current.add(p.participantId);
          call.admit(p.participantId).catch(() => asked.current.delete(p.participantId));
        }
      }
    };
    check();
    return call.subscribe(check);
  }, [call, host]);
  return null;
}
