import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import type { Attachment, ChatMessage, Consultation, VitalSign } from '@telemed/shared';
import { useEffect } from 'react';
import { useCall } from '../../../call/CallProvider.js';
import { recordsQueryRoot, useRecordsQuery } from '../../../records/useRecordsQuery.js';

/** The consultation as records holds it; the live notices of the call are folded into this same cache entry. */
export function useConsultation(consultationId: string) {
  return useRecordsQuery('getConsultation', { params: { id: consultationId } });
}

function consultationKey(consultationId: string) {
  return [recordsQueryRoot, 'getConsultation', { params: { id: consultationId } }];
}

type LiveItem =
  | { list: 'vitalSigns'; item: VitalSign }
  | { list: 'chat'; item: ChatMessage }
  | { list: 'attachments'; item: Attachment };

/**
 * Adds what the room was told (or what our own request's ack answered) to the cached consultation, once: the ack
 * and the notice of the same item both arrive, in either order.
 */
export function addLiveItem(queryClient: QueryClient, consultationId: string, live: LiveItem): void {
  queryClient.setQueryData<Consultation>(consultationKey(consultationId), (consultation) => {
    if (!consultation) return consultation;
    const list = consultation[live.list] as Array<{ id: string }>;
    if (list.some((existing) => existing.id === live.item.id)) return consultation;
    return { ...consultation, [live.list]: [...list, live.item] };
  });
}

/** Keeps the cached consultation up to date with the room's live notices while the panels are shown. */
export function useLiveConsultationUpdates(consultationId: string): void {
  const call = useCall();
  const queryClient = useQueryClient();
  useEffect(() => {
    const stops = [
      call.on('vitals:recorded', ({ vitalSign }) =>
        addLiveItem(queryClient, consultationId, { list: 'vitalSigns', item: vitalSign }),
      ),
      call.on('chat:message', ({ message }) =>
        addLiveItem(queryClient, consultationId, { list: 'chat', item: message }),
      ),
      call.on('attachment:added', ({ attachment }) =>
        addLiveItem(queryClient, consultationId, { list: 'attachments', item: attachment }),
      ),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [call, queryClient, consultationId]);
}
