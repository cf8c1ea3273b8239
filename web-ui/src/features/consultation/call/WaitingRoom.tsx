import { Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallSnapshot } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useMinutesSince } from './useMinutesSince.js';
import { VideoView } from './VideoView.js';

/** The clinic waits to be admitted: who the patient and the specialist are, and for how long it has waited. */
export function WaitingRoom({
  patientName,
  specialistName,
  onLeave,
}: {
  patientName: string;
  specialistName: string;
  onLeave(): void;
}) {
  const t = useT();
  const { self, localStream } = useCallSnapshot();
  const minutes = useMinutesSince(self?.since);
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="waiting-room-heading">
      <Title order={2} size="h3" id="waiting-room-heading" mb="md">
        {t('call.waiting.heading')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <VideoView stream={localStream} label={t('call.video.self')} mirrored muted />
        <Stack gap="sm">
          <div>
            <Text size="sm" c="dimmed">
              {t('call.waiting.patient')}
            </Text>
            <Text fw={600} className="waiting-patient">
              {patientName}
            </Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">
              {t('call.waiting.specialist')}
            </Text>
            <Text fw={600}>{specialistName}</Text>
          </div>
          <Group gap="xs" wrap="nowrap" align="flex-start" role="status" aria-live="polite">
            <Loader size="sm" type="dots" aria-hidden />
            <div>
              <Text fw={600} className="waiting-status">
                {t('call.waiting.status', { name: specialistName })}
              </Text>
              <Text size="sm" c="dimmed" className="waiting-since">
                {t('call.waiting.since', { minutes })}
              </Text>
            </div>
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onLeave} aria-label={t('call.leaveLabel')}>
              {t('call.leave')}
            </Button>
          </Group>
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}
