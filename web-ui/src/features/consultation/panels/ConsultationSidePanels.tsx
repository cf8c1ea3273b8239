import { Alert, Badge, Loader, Tabs } from '@mantine/core';
import type { RoomRole } from '@telemed/shared';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { useCall } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { errorMessageOf } from '../../../records/useRecordsQuery.js';
import { useSession } from '../../../session/SessionProvider.js';
import { ChatPanel } from './ChatPanel.js';
import { FilesPanel } from './FilesPanel.js';
import { useConsultation, useLiveConsultationUpdates } from './liveConsultation.js';
import { VitalSignsPanel } from './VitalSignsPanel.js';

type PanelTab = 'vitals' | 'chat' | 'files';
const noneUnread: Record<PanelTab, number> = { vitals: 0, chat: 0, files: 0 };

export interface ConsultationSidePanelsProps {
  appointmentId: string;
  consultationId: string;
  role: RoomRole;
}

/**
 * The live clinical data beside the video: vital signs, chat and files, each a tab with the count of what arrived
 * from the other side while it was not shown. Earlier data comes from records; new data from the call's notices.
 */
export function ConsultationSidePanels({ consultationId, role }: ConsultationSidePanelsProps) {
  const t = useT();
  const intl = useIntl();
  const call = useCall();
  const { state } = useSession();
  const selfId = state.status === 'signed-in' ? state.user.id : '';
  const consultation = useConsultation(consultationId);
  useLiveConsultationUpdates(consultationId);

  const [tab, setTab] = useState<PanelTab>(role === 'clinic_doctor' ? 'vitals' : 'chat');
  const [unread, setUnread] = useState(noneUnread);
  const shownTab = useRef(tab);
  shownTab.current = tab;

  useEffect(() => {
    const arrived = (panel: PanelTab, authorId: string) => {
      if (authorId === selfId || shownTab.current === panel) return;
      setUnread((counts) => ({ ...counts, [panel]: counts[panel] + 1 }));
    };
    const stops = [
      call.on('vitals:recorded', ({ vitalSign }) => arrived('vitals', vitalSign.recordedBy)),
      call.on('chat:message', ({ message }) => arrived('chat', message.authorId)),
      call.on('attachment:added', ({ attachment }) => arrived('files', attachment.uploadedBy)),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [call, selfId]);

  const show = (next: string | null) => {
    if (!next) return;
    setTab(next as PanelTab);
    setUnread((counts) => ({ ...counts, [next]: 0 }));
  };

  const tabLabel = (panel: PanelTab) => {
    const count = unread[panel];
    return count > 0 ? (
      <Badge size="sm" circle={count < 10} color="red" aria-label={t('panels.unread', { count })}>
        {intl.formatNumber(count)}
      </Badge>
    ) : null;
  };

  if (consultation.isPending) return <Loader aria-label={t('common.loading')} m="md" />;
  if (consultation.isError) {
    return (
      <Alert color="red" role="alert" title={t('panels.loadFailed')}>
        {errorMessageOf(consultation.error)}
      </Alert>
    );
  }
  const data = consultation.data;
  return (
    <Tabs value={tab} onChange={show} keepMounted={false} aria-label={t('panels.region')}>
      <Tabs.List grow>
        <Tabs.Tab value="vitals" rightSection={tabLabel('vitals')}>
          {t('panels.tab.vitals')}
        </Tabs.Tab>
        <Tabs.Tab value="chat" rightSection={tabLabel('chat')}>
          {t('panels.tab.chat')}
        </Tabs.Tab>
        <Tabs.Tab value="files" rightSection={tabLabel('files')}>
          {t('panels.tab.files')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="vitals" pt="sm">
        <VitalSignsPanel consultationId={consultationId} role={role} vitalSigns={data.vitalSigns} />
      </Tabs.Panel>
      <Tabs.Panel value="chat" pt="sm">
        <ChatPanel consultationId={consultationId} selfId={selfId} messages={data.chat} />
      </Tabs.Panel>
      <Tabs.Panel value="files" pt="sm">
        <FilesPanel consultationId={consultationId} attachments={data.attachments} />
      </Tabs.Panel>
    </Tabs>
  );
}
