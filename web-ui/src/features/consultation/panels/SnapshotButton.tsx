import { Alert, Button, Stack, VisuallyHidden } from '@mantine/core';
import type { AppError, Attachment } from '@telemed/shared';
import { useEffect, useState } from 'react';
import { useCall } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { AttachmentViewer } from './AttachmentViewer.js';
import { snapshotFilePrefix } from './useSnapshotResponder.js';

/** How long to wait for the clinic's still before saying it did not come (a 4K upload on a slow link). */
const snapshotTimeoutMs = 60_000;

type Waiting = { status: 'idle' } | { status: 'waiting' } | { status: 'failed'; message: string };

/**
 * The specialist's *snapshot* on the clinic's video: asks the clinic's browser for a still at the camera's full
 * resolution and shows it, as soon as it is stored, in a viewer to zoom and pan.
 */
export function SnapshotButton({ consultationId }: { consultationId: string }) {
  const t = useT();
  const call = useCall();
  const [waiting, setWaiting] = useState<Waiting>({ status: 'idle' });
  const [shown, setShown] = useState<Attachment | null>(null);

  useEffect(() => {
    if (waiting.status !== 'waiting') return;
    const timer = setTimeout(
      () => setWaiting({ status: 'failed', message: t('panels.snapshot.timeout') }),
      snapshotTimeoutMs,
    );
    const stop = call.on('attachment:added', ({ attachment }) => {
      if (!attachment.fileName.startsWith(snapshotFilePrefix)) return;
      setWaiting({ status: 'idle' });
      setShown(attachment);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [call, waiting.status, t]);

  const request = async () => {
    setWaiting({ status: 'waiting' });
    try {
      const { sentTo } = await call.requestSnapshot();
      if (sentTo === 0) setWaiting({ status: 'failed', message: t('panels.snapshot.noClinic') });
    } catch (error) {
      setWaiting({ status: 'failed', message: (error as AppError).message });
    }
  };

  return (
    <Stack gap={4}>
      <Button variant="light" onClick={request} loading={waiting.status === 'waiting'}>
        {t('panels.snapshot.take')}
      </Button>
      {waiting.status === 'waiting' && (
        <VisuallyHidden role="status">{t('panels.snapshot.waiting')}</VisuallyHidden>
      )}
      {waiting.status === 'failed' && (
        <Alert color="red" role="alert" p="xs">
          {waiting.message}
        </Alert>
      )}
      {shown && (
        <AttachmentViewer consultationId={consultationId} attachment={shown} onClose={() => setShown(null)} />
      )}
    </Stack>
  );
}
