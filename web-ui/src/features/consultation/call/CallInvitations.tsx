import { Alert, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useFormatters } from '../../formatting.js';
import { consultationPath } from './consultationPath.js';
import { useLiveSignaling } from './LiveSignalingProvider.js';

/** Invitations into other specialists' calls, live; shown only when there is one (or one was just withdrawn). */
export function CallInvitations() {
  const t = useT();
  const format = useFormatters();
  const { invitations, withdrawn } = useLiveSignaling();
  if (invitations.length === 0 && withdrawn.length === 0) return null;
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="invitations-heading" aria-live="polite">
      <Title order={2} size="h3" id="invitations-heading" mb="sm">
        {t('call.invitations.heading')}
      </Title>
      <Stack gap="xs">
        {invitations.map((invitation) => {
          const patient = format.personName(invitation.appointment.patient?.name);
          return (
            <Card key={invitation.appointmentId} withBorder padding="sm" className="call-invitation">
              <Group justify="space-between" gap="sm" wrap="wrap">
                <Text style={{ minWidth: 0 }}>
                  {t('call.invitations.from', {
                    name: format.personName(invitation.invitedBy.name),
                    patient,
                  })}
                </Text>
                <Button
                  component={Link}
                  to={consultationPath(invitation.appointmentId)}
                  aria-label={t('call.invitations.joinFor', { patient })}
                >
                  {t('call.invitations.join')}
                </Button>
              </Group>
            </Card>
          );
        })}
        {withdrawn.map((notice) => (
          <Alert key={notice.appointmentId} color="gray" p="xs">
            {t('call.invitations.withdrawn', { name: format.personName(notice.withdrawnBy.name) })}
          </Alert>
        ))}
      </Stack>
    </Paper>
  );
}
