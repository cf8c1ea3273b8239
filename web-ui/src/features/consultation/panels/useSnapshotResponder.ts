import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useCall } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useSession } from '../../../session/SessionProvider.js';
import { uploadAndAnnounce } from './attachments.js';
import { captureStill } from './captureStill.js';
import { addLiveItem } from './liveConsultation.js';

/** Snapshots are attachments whose name starts with this; the specialist's viewer opens them when they arrive. */
export const snapshotFilePrefix = 'snapshot-';

export type SnapshotResponderState =
  | { status: 'idle' }
  | { status: 'capturing' }
  /** `message`: what went wrong, in the person's language. */
  | { status: 'failed'; message: string };

/**
 * The clinic's side of *snapshot*: when the specialist asks (`snapshot:requested`), takes a still of the camera
 * at its full resolution, stores it in the consultation's attachments and tells the room. The call screen mounts
 * it once; its state says when a capture runs or failed.
 */
export function useSnapshotResponder(consultationId: string): SnapshotResponderState {
  const call = useCall();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const t = useT();
  const [state, setState] = useState<SnapshotResponderState>({ status: 'idle' });

  useEffect(() => {
    let busy = false;
    return call.on('snapshot:requested', () => {
      // A second press while the first still uploads would only send the same picture twice.
      if (busy) return;
      const track = call.snapshot.localStream?.getVideoTracks()[0];
      if (track?.readyState !== 'live' || !track.enabled) {
        setState({ status: 'failed', message: t('panels.snapshot.noCamera') });
        return;
      }
      busy = true;
      setState({ status: 'capturing' });
      void (async () => {
        try {
          const still = await captureStill(track);
          const extension = still.contentType === 'image/png' ? 'png' : 'jpg';
          const stamp = new Date().toISOString().replace(/[:.]/g, '-');
          const attachment = await uploadAndAnnounce(client, call, consultationId, {
            contentType: still.contentType,
            bytes: still.blob,
            fileName: `${snapshotFilePrefix}${stamp}-${still.width}x${still.height}.${extension}`,
          });
          addLiveItem(queryClient, consultationId, { list: 'attachments', item: attachment });
          setState({ status: 'idle' });
        } catch (error) {
          setState({
            status: 'failed',
            message: t('panels.snapshot.failed', {
              reason: error instanceof Error ? error.message : String(error),
            }),
          });
        } finally {
          busy = false;
        }
      })();
    });
  }, [call, client, queryClient, consultationId, t]);

  return state;
}
