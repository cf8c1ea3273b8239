import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { CallEndReason } from '../../../call/CallClient.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { ConsultationNoteEditor } from '../note/ConsultationNoteEditor.js';

/** After the call: ended for everyone (the note is next), or left by this person (who may go back in). */
export function CallOutcome({
  ended,
  endReason,
  error,
  consultationId,
  writesNote,
  onRejoin,
}: {
  ended: boolean;
  endReason: CallEndReason | null;
  error: string | null;
  consultationId: string | undefined;
  writesNote: boolean;
  onRejoin(): void;
}) {
  const t = useT();
  const heading = ended
    ? 'call.ended.heading'
    : endReason === 'left'
      ? 'call.left.heading'
      : 'call.failed.heading';
  return (
    <Stack gap="md">
      <Paper component="section" p="md" shadow="xs" aria-labelledby="call-outcome-heading">
        <Title order={2} size="h3" id="call-outcome-heading" mb="sm" className="call-outcome">
          {t(heading)}
        </Title>
        <Stack gap="sm">
          {ended && <Text>{t('call.ended.body')}</Text>}
          {!ended && endReason === 'left' && <Text>{t('call.left.body')}</Text>}
          {endReason === 'withdrawn' && <Text>{t('call.withdrawn')}</Text>}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group gap="sm">
            {!ended && endReason !== 'withdrawn' && (
              <Button color="teal" onClick={onRejoin}>
                {t('call.rejoin')}
              </Button>
            )}
            <Button component={Link} to="/" variant="default">
              {t('call.home')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {ended && writesNote && consultationId && (
        <Paper component="section" p="md" shadow="xs">
          <ConsultationNoteEditor consultationId={consultationId} />
        </Paper>
      )}
    </Stack>
  );
}
