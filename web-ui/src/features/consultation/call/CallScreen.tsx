import { ActionIcon, Alert, Badge, Button, Grid, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import type { CallRole, Specialty } from '@telemed/shared';
import { useState } from 'react';
import { CallState } from '../../../call/CallClient.js';
import { useCall, useCallSnapshot } from '../../../call/CallProvider.js';
import { MediaConnectionState } from '../../../call/recovery/TransportRecovery.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsQuery } from '../../../records/useRecordsQuery.js';
import { useFormatters } from '../../formatting.js';
import { ConsultationNoteEditor } from '../note/ConsultationNoteEditor.js';
import { ConsultationSidePanels } from '../panels/ConsultationSidePanels.js';
import { SnapshotButton } from '../panels/SnapshotButton.js';
import { type SnapshotResponderState, useSnapshotResponder } from '../panels/useSnapshotResponder.js';
import { CallControls } from './CallControls.js';
import { CallIcon } from './CallIcon.js';
import { CallStage } from './CallStage.js';
import { InviteSpecialist } from './InviteSpecialist.js';
import { QualityBadge } from './QualityBadge.js';

export interface CallScreenProps {
  appointmentId: string;
  consultationId: string | undefined;
  callRole: CallRole;
  specialty: Specialty;
  selfId: string;
  onLeave(): void;
}

/** The call: videos and controls, and beside them (below on a tablet or phone) the consultation's data. */
export function CallScreen({
  appointmentId,
  consultationId,
  callRole,
  specialty,
  selfId,
  onLeave,
}: CallScreenProps) {
  const t = useT();
  const format = useFormatters();
  const snapshot = useCallSnapshot();
  const host = callRole === 'booked-specialist';
  const [inviting, setInviting] = useState(false);
  const dropped = snapshot.participants.filter((p) => p.link === 'reconnecting');

  return (
    <Stack gap="sm">
      {snapshot.state === CallState.reconnecting && (
        <Alert color="orange" role="alert" className="call-reconnecting">
          {t('call.reconnecting')}
        </Alert>
      )}
      {snapshot.state === CallState.connected &&
        snapshot.mediaConnection === MediaConnectionState.reconnecting && (
          <Alert color="orange" role="status" className="call-media-reconnecting">
            {t('call.mediaReconnecting')}
          </Alert>
        )}
      {snapshot.state === CallState.connecting && (
        <Alert color="blue" role="status">
          {t('call.connecting')}
        </Alert>
      )}
      {dropped.map((p) => (
        <Alert key={p.participantId} color="yellow" role="status">
          {t('call.participantReconnecting', { name: format.personName(p.name) })}
        </Alert>
      ))}
      {host && <WaitingToBeAdmitted />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper p="xs" shadow="xs">
            <Stack gap="sm">
              <CallStage />
              {host && consultationId && <SnapshotButton consultationId={consultationId} />}
              {callRole === 'clinic' && consultationId && (
                <SnapshotResponder consultationId={consultationId} />
              )}
              <CallControls host={host} onInvite={() => setInviting(true)} onLeave={onLeave} />
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper p="xs" shadow="xs" component="aside" aria-label={t('call.sidePanels')}>
            <Tabs defaultValue="panels" keepMounted={false}>
              <Tabs.List grow>
                <Tabs.Tab value="panels">{t('call.tab.panels')}</Tabs.Tab>
                {host && <Tabs.Tab value="note">{t('call.tab.note')}</Tabs.Tab>}
                <Tabs.Tab value="people">{t('call.tab.people')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="panels" pt="sm">
                {consultationId && (
                  <ConsultationSidePanels
                    appointmentId={appointmentId}
                    consultationId={consultationId}
                    role={callRole === 'clinic' ? 'clinic_doctor' : 'specialist'}
                  />
                )}
              </Tabs.Panel>
              {host && (
                <Tabs.Panel value="note" pt="sm">
                  {consultationId && <ConsultationNoteEditor consultationId={consultationId} />}
                </Tabs.Panel>
              )}
              <Tabs.Panel value="people" pt="sm">
                <People host={host} specialty={specialty} />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
      </Grid>
      {host && (
        <InviteSpecialist
          opened={inviting}
          onClose={() => setInviting(false)}
          specialty={specialty}
          selfId={selfId}
        />
      )}
    </Stack>
  );
}

/** The booked specialist sees anyone waiting in the room (a clinic that came back) and lets them in. */
function WaitingToBeAdmitted() {
  const t = useT();
  const format = useFormatters();
  const call = useCall();
  const { participants } = useCallSnapshot();
  const [error, setError] = useState<string | null>(null);
  const waiting = participants.filter((p) => p.status === 'waiting');
  if (waiting.length === 0 && !error) return null;
  return (
    <Stack gap="xs">
      {waiting.map((p) => (
        <Alert key={p.participantId} color="yellow" role="status">
          <Group justify="space-between" gap="sm">
            <Text size="sm">{t('call.people.waiting', { name: format.personName(p.name) })}</Text>
            <Button
              size="compact-sm"
              color="teal"
              aria-label={t('call.admitFor', { name: format.personName(p.name) })}
              onClick={() => call.admit(p.participantId).catch((e: unknown) => setError(errorMessageOf(e)))}
            >
              {t('call.admit')}
            </Button>
          </Group>
        </Alert>
      ))}
      {error && (
        <Alert color="red" role="alert" p="xs">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

/** Who is in the call with their links, and the invitations the booked specialist may withdraw. */
function People({ host, specialty }: { host: boolean; specialty: Specialty }) {
  const t = useT();
  const format = useFormatters();
  const call = useCall();
  const { participants, invitations } = useCallSnapshot();
  const specialists = useRecordsQuery(
    'listSpecialists',
    { query: { specialty } },
    { enabled: host && invitations.length > 0 },
  );
  const nameOf = (id: string) =>
    format.personName(
      participants.find((p) => p.participantId === id)?.name ??
        specialists.data?.items.find((s) => s.id === id)?.name,
    );
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack gap="xs">
      {participants.map((p) => (
        <Group key={p.participantId} justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" truncate>
            {format.personName(p.name)}
          </Text>
          {p.status === 'waiting' ? (
            <Badge color="yellow" variant="light">
              {t('status.waiting')}
            </Badge>
          ) : (
            <QualityBadge name={format.personName(p.name)} quality={p.quality} />
          )}
        </Group>
      ))}
      {host &&
        invitations.map((invitation) => {
          const name = nameOf(invitation.specialistId);
          return (
            <Group key={invitation.specialistId} justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" truncate>
                {t('call.invite.pending', { name })}
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('call.invite.withdrawFor', { name })}
                onClick={() =>
                  call
                    .withdrawInvitation(invitation.specialistId)
                    .catch((e: unknown) => setError(errorMessageOf(e)))
                }
              >
                <CallIcon name="close" size={16} />
              </ActionIcon>
            </Group>
          );
        })}
      {error && (
        <Alert color="red" role="alert" p="xs">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

/** The clinic's side of a snapshot: answers the specialist's request, and says when it runs or failed. */
function SnapshotResponder({ consultationId }: { consultationId: string }) {
  const t = useT();
  const state: SnapshotResponderState = useSnapshotResponder(consultationId);
  if (state.status === 'capturing') {
    return (
      <Alert color="blue" role="status">
        {t('panels.snapshot.capturing')}
      </Alert>
    );
  }
  if (state.status === 'failed') {
    return (
      <Alert color="red" role="alert">
        {state.message}
      </Alert>
    );
  }
  return null;
}
