import { Badge, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { WaitingEntry } from '@telemed/shared';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useFormatters } from '../../formatting.js';
import { consultationPath } from './consultationPath.js';
import { useLiveSignaling } from './LiveSignalingProvider.js';
import { useMinutesSince } from './useMinutesSince.js';

/** The specialist's home: the clinics waiting for them now, live, each with *admit*. */
export function WaitingClinics() {
  const t = useT();
  const intl = useIntl();
  const { connected, waiting } = useLiveSignaling();
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="waiting-heading">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h3" id="waiting-heading">
          {t('call.waitingList.heading')}
        </Title>
        {waiting.length > 0 && (
          <Badge color="yellow" variant="light" size="lg">
            {intl.formatNumber(waiting.length)}
          </Badge>
        )}
      </Group>
      {!connected && waiting.length === 0 && <Text c="dimmed">{t('call.waitingList.offline')}</Text>}
      {connected && waiting.length === 0 && <Text c="dimmed">{t('call.waitingList.empty')}</Text>}
      {waiting.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-live="polite">
          {waiting.map((entry) => (
            <WaitingClinic key={`${entry.appointmentId}:${entry.participantId}`} entry={entry} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function WaitingClinic({ entry }: { entry: WaitingEntry }) {
  const t = useT();
  const format = useFormatters();
  const name = format.personName(entry.name);
  const minutes = useMinutesSince(entry.since);
  return (
    <Card component="li" withBorder padding="sm" className="waiting-clinic">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text fw={600} style={{ minWidth: 0 }}>
          {t('call.waitingList.entry', { name, minutes })}
        </Text>
        <Button
          component={Link}
          to={consultationPath(entry.appointmentId, entry.participantId)}
          color="teal"
          aria-label={t('call.admitFor', { name })}
        >
          {t('call.admit')}
        </Button>
      </Group>
    </Card>
  );
}
