import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import type { Specialty } from '@telemed/shared';
import { useState } from 'react';
import { useCall, useCallSelector } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsQuery } from '../../../records/useRecordsQuery.js';
import { useFormatters } from '../../formatting.js';

/** The booked specialist picks a specialist of the same specialty and invites them (records decides). */
export function InviteSpecialist({
  opened,
  onClose,
  specialty,
  selfId,
}: {
  opened: boolean;
  onClose(): void;
  specialty: Specialty;
  selfId: string;
}) {
  const t = useT();
  const format = useFormatters();
  const call = useCall();
  const invitations = useCallSelector((s) => s.invitations);
  const specialists = useRecordsQuery('listSpecialists', { query: { specialty } }, { enabled: opened });
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const invited = new Set(invitations.map((i) => i.specialistId));
  const choices = (specialists.data?.items ?? [])
    .filter((s) => s.id !== selfId && !invited.has(s.id))
    .map((s) => ({ value: s.id, label: format.personName(s.name) }));

  const send = async () => {
    if (!picked) return;
    setSending(true);
    setError(null);
    try {
      await call.invite(picked);
      setPicked(null);
      onClose();
    } catch (failure) {
      setError(errorMessageOf(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('call.invite.heading')} centered>
      <Stack gap="sm">
        {specialists.isSuccess && choices.length === 0 ? (
          <Text c="dimmed">{t('call.invite.none')}</Text>
        ) : (
          <Select
            label={t('call.invite.pick')}
            data={choices}
            value={picked}
            onChange={setPicked}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
        )}
        {error && (
          <Alert color="red" role="alert" p="xs">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('call.cancel')}
          </Button>
          <Button disabled={!picked} loading={sending} onClick={() => void send()}>
            {t('call.invite.send')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
