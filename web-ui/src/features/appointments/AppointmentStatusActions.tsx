import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type Appointment, appointmentTransitions } from '@telemed/shared';
import { useState } from 'react';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation } from '../../records/useRecordsQuery.js';

type Ending = 'cancelled' | 'no-show';

/**
 * Cancel an appointment, or mark that the patient did not come: each asks first, with an optional reason that
 * records keeps in the appointment's history. Offered only where the lifecycle allows the move.
 */
export function AppointmentStatusActions({ appointment, who }: { appointment: Appointment; who: string }) {
  const t = useT();
  const change = useRecordsMutation('changeAppointmentStatus');
  const [asked, setAsked] = useState<Ending | null>(null);
  const [note, setNote] = useState('');
  const allowed = appointmentTransitions[appointment.status];
  const endings = (['cancelled', 'no-show'] as const).filter((s) => allowed.includes(s));
  if (endings.length === 0) return null;

  const close = () => {
    setAsked(null);
    setNote('');
    change.reset();
  };
  const confirm = () => {
    if (!asked) return;
    change.mutate(
      { params: { id: appointment.id }, body: { status: asked, note: note.trim() || undefined } },
      { onSuccess: close },
    );
  };
  return (
    <>
      {endings.map((ending) => (
        <Button
          key={ending}
          size="compact-sm"
          variant="subtle"
          color="red"
          onClick={() => setAsked(ending)}
          aria-label={t(
            ending === 'cancelled' ? 'appointmentActions.cancelFor' : 'appointmentActions.noShowFor',
            {
              name: who,
            },
          )}
        >
          {t(ending === 'cancelled' ? 'appointmentActions.cancel' : 'appointmentActions.noShow')}
        </Button>
      ))}
      <Modal
        opened={asked !== null}
        onClose={close}
        title={t(asked === 'no-show' ? 'appointmentActions.noShowTitle' : 'appointmentActions.cancelTitle')}
        centered
      >
        <Stack gap="sm">
          <Text>
            {t(asked === 'no-show' ? 'appointmentActions.noShowAsk' : 'appointmentActions.cancelAsk', {
              name: who,
            })}
          </Text>
          <Textarea
            label={t('appointmentActions.reason')}
            dir="auto"
            maxLength={500}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {change.isError && (
            <Alert color="red" role="alert">
              {errorMessageOf(change.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('appointmentActions.keep')}
            </Button>
            <Button color="red" onClick={confirm} loading={change.isPending}>
              {t(
                asked === 'no-show' ? 'appointmentActions.confirmNoShow' : 'appointmentActions.confirmCancel',
              )}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
